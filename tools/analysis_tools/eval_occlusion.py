"""Occlusion robustness: test models on the clean validation set and with synthetic occluders
pasted over joints (``OccludeJoints``), and print the AP drop of each.

    python tools/analysis_tools/eval_occlusion.py \
        --model heatmap configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py HM.pth \
        --model pct configs/pct/pct_vitpose-tiny_1xb32-30e_synthcoco-128x96.py PCT.pth

Every model sees the same occluders (seeded per annotation). Tested with MMEngine's Runner and
the config's test pipeline, ``OccludeJoints`` inserted right after ``TopdownAffine``;
``JointErrorMetric`` (pixels of the crop, ground-truth boxes) is added to the evaluators.
"""
import argparse
import copy
import json
import os.path as osp
import tempfile

from mmengine.config import Config
from mmengine.runner import Runner

from config_utils import set_data_root

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--model', nargs=3, action='append', required=True,
                        metavar=('NAME', 'CONFIG', 'CHECKPOINT'))
    parser.add_argument('--data-root', default=osp.join(ROOT, 'data/synth_coco'))
    parser.add_argument('--num-joints', type=int, default=2, help='joints covered per person')
    parser.add_argument('--size', type=float, nargs=2, default=(0.15, 0.3),
                        help='occluder side range, fraction of the crop\'s shorter side')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out-json', help='write the table here too')
    return parser.parse_args()


def occluded(pipeline, occluder):
    """``pipeline`` with ``occluder`` right after its ``TopdownAffine``."""
    types = [t['type'] for t in pipeline]
    if 'TopdownAffine' not in types:
        raise ValueError('the test pipeline has no TopdownAffine to put the occluders after')
    i = types.index('TopdownAffine') + 1
    return pipeline[:i] + [occluder] + pipeline[i:]


def evaluate(config, checkpoint, data_root, occluder, work_dir):
    cfg = Config.fromfile(config)
    set_data_root(cfg, data_root)
    cfg.work_dir = work_dir
    cfg.load_from = checkpoint
    evaluators = cfg.test_evaluator if isinstance(cfg.test_evaluator, list) else [
        cfg.test_evaluator]
    if not any(e['type'] == 'JointErrorMetric' for e in evaluators):
        evaluators = evaluators + [dict(type='JointErrorMetric')]
    cfg.test_evaluator = evaluators
    if occluder is not None:
        dataset = cfg.test_dataloader.dataset
        dataset.pipeline = occluded(copy.deepcopy(dataset.pipeline), occluder)
    return Runner.from_cfg(cfg).test()


def main():
    args = parse_args()
    occluder = dict(type='OccludeJoints', num_joints=args.num_joints, size=tuple(args.size),
                    seed=args.seed)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, config, checkpoint in args.model:
            clean = evaluate(config, checkpoint, args.data_root, None, osp.join(tmp, name))
            occ = evaluate(config, checkpoint, args.data_root, occluder, osp.join(tmp, name))
            rows.append(dict(model=name, ap_clean=clean['coco/AP'], ap_occluded=occ['coco/AP'],
                             err_clean=clean['joint_error/mean_px'],
                             err_occluded=occ['joint_error/mean_px']))
    print(f'\nocclusion: {args.num_joints} joints per person covered, sides '
          f'{args.size[0]:g}-{args.size[1]:g} of the crop, seed {args.seed}')
    print('| model | AP clean | AP occluded | AP drop | relative drop | joint error px clean '
          '| occluded |')
    print('|---|---|---|---|---|---|---|')
    for r in rows:
        drop = r['ap_clean'] - r['ap_occluded']
        rel = drop / r['ap_clean'] if r['ap_clean'] > 0 else float('nan')
        print(f"| {r['model']} | {r['ap_clean']:.3f} | {r['ap_occluded']:.3f} | {drop:.3f} | "
              f"{rel:.1%} | {r['err_clean']:.2f} | {r['err_occluded']:.2f} |")
    if args.out_json:
        with open(args.out_json, 'w') as f:
            json.dump(rows, f, indent=1)


if __name__ == '__main__':
    main()
