"""From-scratch initialisation of ViTPoseBackbone: 'trunc_normal', 'xavier' and 'mmpretrain'
(MMPose's stock ViT, weight for weight) on the synthetic family, several seeds, one table.

    python projects/vit_init/tools/run_study.py [--inits trunc_normal xavier mmpretrain]
        [--seeds 0 1] [--epochs 15] [--work-dir work_dirs/vit_init]

Trains configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py with
``model.backbone.weight_init`` set, each (init, seed) in ``WORK_DIR/<init>-seed<S>`` (a finished
run is reused, see tools/analysis_tools/study.py), the lr steps scaled to ``--epochs``, validation
every ``--epochs // 3`` epochs, and prints val AP (flip test) at each validation.
"""
import argparse
import glob
import json
import os.path as osp
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
# the studies' shared helpers: tools/analysis_tools/ (study runs, tables, config helpers)
sys.path.insert(0, osp.join(ROOT, 'tools', 'analysis_tools'))
from benchmark_utils import print_table  # noqa: E402
from study import study_config, train_or_reuse  # noqa: E402
CONFIG = osp.join(ROOT, 'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py')


def val_aps(work_dir):
    """{epoch: coco/AP} from the run's scalars (MMEngine's vis_data/scalars.json)."""
    aps = {}
    for path in glob.glob(osp.join(work_dir, '*/vis_data/scalars.json')):
        for line in open(path):
            rec = json.loads(line)
            if 'coco/AP' in rec:
                aps[rec['step']] = rec['coco/AP']
    return aps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--inits', nargs='+', default=['trunc_normal', 'xavier', 'mmpretrain'])
    parser.add_argument('--seeds', nargs='+', type=int, default=[0, 1])
    parser.add_argument('--epochs', type=int, default=15)
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs/vit_init'))
    args = parser.parse_args()
    rows = []
    for init in args.inits:
        for seed in args.seeds:
            work_dir = osp.join(args.work_dir, f'{init}-seed{seed}')
            cfg = study_config(CONFIG, work_dir, seed=seed, epochs=args.epochs,
                               cfg_options={'model.backbone.weight_init': init})
            cfg.train_cfg.val_interval = max(1, args.epochs // 3)
            train_or_reuse(cfg)
            aps = val_aps(work_dir)
            rows.append([init, seed] + [f'{aps[e]:.3f}' if e in aps else ''
                                        for e in sorted(aps)])
            print_table(['init', 'seed'] + [f'AP @ epoch {e}' for e in sorted(aps)], rows)


if __name__ == '__main__':
    main()
