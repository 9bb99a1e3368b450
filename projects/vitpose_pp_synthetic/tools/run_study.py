"""ViTPose++ on synthetic data: does knowledge factorisation help, and does merging keep the AP?

    python projects/vitpose_pp_synthetic/tools/run_study.py [--work-dir work_dirs/vitpose_pp_synth]
        [--epochs 30] [--seed 0] [--runs a_humans a_quadrupeds b c]

Trains, with MMEngine's Runner and the configs of projects/vitpose_pp_synthetic/configs/ (tiny ViT: 4 layers, dim
192, 64x64 input, batch 32, same schedule for all):
  (a) the humans alone and the quadrupeds alone (plain ViTPose),
  (b) both data sets, fully shared backbone, one head each,
  (c) both data sets, factorised FFNs (shared expert + one task expert each), one head each;
each data set gets the same number of passes in every run. Then it tests every model on each data
set's validation set (CocoMetric AP), merges (c)'s experts for each data set into a plain ViTPose
(vitpose_ext.converters.merge_experts), tests the merged models with the single-task configs and
prints a markdown table. A run whose last checkpoint exists is only tested again. Makes
data/synth_coco and data/synth_quadruped if they are missing.
"""
import argparse
import os.path as osp
import sys

import torch
from mmengine.runner import Runner

from vitpose_ext.converters import merge_experts
from vitpose_ext.datasets.synthetic import HUMAN, QUADRUPED, is_complete, make_synthetic_coco
from vitpose_ext.utils.checkpoint import load_checkpoint_file

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
# the studies' shared helpers: tools/analysis_tools/ (study runs, tables, config helpers)
sys.path.insert(0, osp.join(ROOT, 'tools', 'analysis_tools'))
from study import study_config, train_or_reuse  # noqa: E402

CONFIGS = 'projects/vitpose_pp_synthetic/configs/'
SINGLE = {'humans': CONFIGS + 'td-hm_vitpose-tiny_1xb32-30e_synthcoco-64x64.py',
          'quadrupeds': CONFIGS + 'td-hm_vitpose-tiny_1xb32-30e_synthquadruped-64x64.py'}
RUNS = {
    'a_humans': ('(a) humans alone', SINGLE['humans']),
    'a_quadrupeds': ('(a) quadrupeds alone', SINGLE['quadrupeds']),
    'b': ('(b) both, shared backbone',
          CONFIGS + 'td-hm_vitpose-pp-tiny-shared_1xb32-30e_synthcoco-synthquadruped-64x64.py'),
    'c': ('(c) both, factorised FFN',
          CONFIGS + 'td-hm_vitpose-pp-tiny_1xb32-30e_synthcoco-synthquadruped-64x64.py'),
}
DATA = [('data/synth_coco', HUMAN, 0), ('data/synth_quadruped', QUADRUPED, 1)]


def run_cfg(config, work_dir, epochs, seed):
    """``config`` for training without validation (every model is tested once at the end)."""
    cfg = study_config(config, work_dir, seed=seed, epochs=epochs)
    cfg.train_cfg.pop('val_interval', None)
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=epochs, max_keep_ckpts=1)
    cfg.default_hooks.logger.interval = 50
    return cfg


def test_aps(runner, key):
    """{data set: AP}: single-task models report coco/AP for their own data set, multi-task
    ones coco/AP (humans) and ap10k/AP (quadrupeds)."""
    metrics = runner.test()
    if key.startswith('a_'):
        return {key[2:]: metrics['coco/AP']}
    return {'humans': metrics['coco/AP'], 'quadrupeds': metrics['ap10k/AP']}


def backbone_params(runner):
    return sum(p.numel() for p in runner.model.backbone.parameters())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--work-dir', default='work_dirs/vitpose_pp_synth')
    parser.add_argument('--epochs', type=int, default=30)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--runs', nargs='+', default=list(RUNS), choices=list(RUNS))
    args = parser.parse_args(argv)

    for root, skeleton, seed in DATA:
        if not is_complete(root, skeleton):
            make_synthetic_coco(root, 1000, 200, seed=seed, skeleton=skeleton)

    rows = []  # (title, {data set: AP}, backbone parameters, training seconds, iterations)
    for key in args.runs:
        title, config = RUNS[key]
        work_dir = osp.join(args.work_dir, key)
        cfg = run_cfg(config, work_dir, args.epochs, args.seed)
        last = osp.join(work_dir, f'epoch_{args.epochs}.pth')
        runner, seconds = train_or_reuse(cfg)
        iters = runner.iter
        rows.append((title, test_aps(runner, key), backbone_params(runner), seconds, iters))
        print(f'RESULT {rows[-1]}', flush=True)
        if key != 'c':
            continue
        checkpoint = load_checkpoint_file(last, map_location='cpu')
        merged = {}
        for t, name in enumerate(('humans', 'quadrupeds')):
            path = osp.join(args.work_dir, f'c_merged_{name}.pth')
            torch.save({'state_dict': merge_experts(checkpoint, t)}, path)
            single = run_cfg(SINGLE[name], osp.join(args.work_dir, f'c_merged_{name}'),
                             args.epochs, args.seed)
            single.load_from = path
            runner = Runner.from_cfg(single)
            merged[name] = test_aps(runner, 'a_' + name)[name]
        rows.append(('(c) merged into a plain ViTPose per data set', merged,
                     backbone_params(runner), None, None))
        print(f'RESULT {rows[-1]}', flush=True)

    print(f'\n{args.epochs} epochs per data set, seed {args.seed}, 64x64 input, batch 32\n')
    print('| run | humans AP | quadrupeds AP | backbone params | train time | s / iter |')
    print('|---|---|---|---|---|---|')
    for title, ap, params, seconds, iters in rows:
        cells = [f'{ap[n]:.4f}' if n in ap else '' for n in ('humans', 'quadrupeds')]
        cells.append(f'{params / 1e6:.3f} M')
        cells += ['', ''] if seconds is None else [f'{seconds / 60:.1f} min',
                                                   f'{seconds / iters:.3f}']
        print(f"| {title} | {' | '.join(cells)} |")


if __name__ == '__main__':
    main()
