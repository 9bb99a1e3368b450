"""Does the knowledge token carry anything? Three measurements of a stage-1 run (the teacher
plus its learned token), to see why token distillation did not help on the synthetic data.

    python projects/kd_synthetic/tools/analyse_token.py WORK_DIR [--data-root data/synth_coco]

WORK_DIR is a stage-1 run (``kd-learn-token_*``): its last checkpoint and the config the runner
saved there (``--config`` if that is not the only ``kd-learn-token_*.py`` in it):

1. val AP (CocoMetric, flip test) of the teacher with its token appended and without it;
2. per block, the share of attention the patch tokens give the knowledge token (mean over
   queries, heads and the validation images), next to 1 / (N + 1), the share of an average key;
3. the token's gradient during stage 1 (only the token trains there, so MMEngine's logged
   ``grad_norm`` is its gradient norm: first and last logged values) and its norm against its
   initialisation's (truncated normal 0.02: about 0.02 * sqrt(C));
4. the stage-1 training loss, mean of the first and of the last epoch: if the token learns
   anything the frozen teacher can use, this falls;
5. how much of the teacher's processed token (the target of token distillation) varies between
   images, as a share of its mean square.
"""
import argparse
import glob
import json
import os.path as osp
import sys
from statistics import fmean

import torch
from mmengine.config import Config
from mmengine.runner import Runner

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
# the studies' shared helpers: tools/analysis_tools/ (study runs, tables, config helpers)
sys.path.insert(0, osp.join(ROOT, 'tools', 'analysis_tools'))
from config_utils import set_data_root  # noqa: E402


def attention_to_token(model, batches):
    """Per block: mean attention weight of the patch queries on the last key (the token), over
    ``batches`` of preprocessed images."""
    inputs = {}
    blocks = model.backbone.blocks
    hooks = [blk.attn.register_forward_hook(
        lambda m, args, out, i=i: inputs.__setitem__(i, args[0])) for i, blk in enumerate(blocks)]
    sums = torch.zeros(len(blocks))
    try:
        with torch.no_grad():
            for x in batches:
                model.extract_feat(x)
                for i, blk in enumerate(blocks):
                    q, k, _ = blk.attn.split_qkv(inputs[i])
                    attn = ((q * blk.attn.scale) @ k.transpose(-2, -1)).softmax(-1)
                    sums[i] += attn[:, :, :-1, -1].mean().item()
    finally:
        for h in hooks:
            h.remove()
    return (sums / len(batches)).tolist(), 1.0 / inputs[0].shape[1]


def token_spread(backbone, batches):
    """Share of the processed token's mean square (the last output at the token's position, what
    token distillation matches) that varies between images: 0 if it is the same vector for every
    image (then it tells a student nothing about the image), 1 if its mean is zero."""
    with torch.no_grad():
        out = torch.cat([backbone.forward_maps_and_tokens(x)[1][-1][:, -1] for x in batches])
    return (out.var(0, unbiased=False).sum() / out.pow(2).mean(0).sum()).item()


def stage1_log(work_dir):
    """From the run's logged scalars: (first, last) grad_norm (the token's, the only trained
    parameter) and the mean training loss of the first and the last epoch."""
    norms, losses = [], {}
    for path in sorted(glob.glob(osp.join(work_dir, '*/vis_data/scalars.json'))):
        for line in open(path):
            rec = json.loads(line)
            if 'grad_norm' in rec:
                norms.append(rec['grad_norm'])
            if 'loss' in rec:
                losses.setdefault(rec['epoch'], []).append(rec['loss'])
    if not norms:
        return (float('nan'),) * 4
    return norms[0], norms[-1], fmean(losses[min(losses)]), fmean(losses[max(losses)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('work_dir')
    parser.add_argument('--data-root', default='data/synth_coco')
    parser.add_argument('--config', help='the stage-1 config (default: the one in WORK_DIR)')
    args = parser.parse_args()
    configs = [args.config] if args.config else glob.glob(
        osp.join(args.work_dir, 'kd-learn-token_*.py'))
    if len(configs) != 1:
        parser.error(f'{len(configs)} kd-learn-token_*.py configs in {args.work_dir}: pass --config')
    config = configs[0]
    with open(osp.join(args.work_dir, 'last_checkpoint')) as f:
        checkpoint = f.read().strip()
    cfg = Config.fromfile(config)
    set_data_root(cfg, args.data_root)
    cfg.work_dir = osp.join(args.work_dir, 'analyse_token')
    cfg.load_from = checkpoint
    runner = Runner.from_cfg(cfg)
    with_token = runner.test()['coco/AP']
    model = runner.model
    batches = [model.data_preprocessor(data, False)['inputs']  # 4 validation batches
               for _, data in zip(range(4), runner.test_dataloader)]
    shares, uniform = attention_to_token(model, batches)
    spread = token_spread(model.backbone, batches)
    # the same teacher without its token (the knowledge token is its backbone's extra token)
    model.backbone.extra_tokens = None
    without_token = runner.test()['coco/AP']
    first, last, loss_first, loss_last = stage1_log(args.work_dir)
    print(f'val AP with the token {with_token:.4f}, without it {without_token:.4f}')
    print(f'attention share on the token per block (an average key: {uniform:.4f}): '
          + ', '.join(f'{s:.4f}' for s in shares))
    print(f"stage-1 grad_norm (the token's) first {first:.4g}, last {last:.4g}; token norm "
          f'{token.norm():.4f}, at initialisation about {0.02 * token.shape[-1] ** 0.5:.4f}')
    print(f"share of the processed token's mean square that varies between images: {spread:.4f}")
    print(f'stage-1 training loss, mean of the first epoch {loss_first:.6f}, of the last '
          f'{loss_last:.6f}')


if __name__ == '__main__':
    main()
