"""Knowledge-token distillation on the synthetic data: teacher, token, four students, one table.

    python projects/kd_synthetic/tools/run_study.py                            # all, seed 0
    python projects/kd_synthetic/tools/run_study.py --runs none tod --seeds 1  # a second seed

Runs the configs of ``projects/kd_synthetic/configs/`` in order with MMEngine's Runner (what ``mim train mmpose``
runs), each in ``WORK_ROOT/NAME[-seedS]``, every ``model.teacher_checkpoint`` pointed at the run before:

  teacher  td-hm_vitpose-6x256 (6 layers, width 256), 30 epochs          (seed 0 only)
  token    stage 1: a knowledge token on the frozen teacher, 5 epochs    (seed 0 only)
  none     the tiny student (4 layers, width 192), no distillation, 15 epochs
  od       + output distillation               (teacher: the plain trained one)
  td       + token distillation                (teacher + token: the stage-1 checkpoint)
  tod      + token and output distillation     (the paper's L_tod)
  ta       token appended only, no distillation loss (the paper's literal token distillation)

Variants for the question whether the token-loss weight or the stage-1 length is the cause:

  token-20e          stage 1 for 20 epochs instead of 5                  (seed 0 only)
  td-20e, tod-20e    td, tod with the token of token-20e
  td-w0.001, tod-w0.001, td-w0.1, tod-w0.1   td, tod with the token loss weighted 0.001 / 0.1
                                             (the configs: 0.01)

A finished run (its ``kd_metrics.json`` exists) is not run again; an interrupted one resumes.
Prints val AP (MMPose's CocoMetric, flip test, ground-truth boxes) per run and seed, and the
training time per iteration read from the runs' logs.
"""
import argparse
import json
import os
import os.path as osp
import sys

from mmengine.config import DictAction

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
# the studies' shared helpers: tools/analysis_tools/ (study runs, tables, config helpers)
sys.path.insert(0, osp.join(ROOT, 'tools', 'analysis_tools'))
from benchmark_utils import print_table  # noqa: E402
from study import seconds_per_iter, study_config, train_or_reuse  # noqa: E402
KD = osp.join(ROOT, 'projects/kd_synthetic/configs')
TEACHER = 'td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py'
TOKEN = 'kd-learn-token_vitpose-6x256_1xb32-5e_synthcoco-128x96.py'
TD = 'kd-token-distill_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py'
TOD = 'kd-token-output_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py'
# name: (config, the run whose last checkpoint is model.teacher_checkpoint, seeded per student
#        seed, study_config arguments that change the config: epochs, cfg_options)
RUNS = {
    'teacher': (TEACHER, None, False, {}),
    'token': (TOKEN, 'teacher', False, {}),
    'none': ('td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py', None, True, {}),
    'od': ('kd-output_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py', 'teacher', True, {}),
    'td': (TD, 'token', True, {}),
    'tod': (TOD, 'token', True, {}),
    'ta': ('kd-token-appended_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py', 'token', True,
           {}),
    'token-20e': (TOKEN, 'teacher', False, dict(epochs=20)),
    'td-20e': (TD, 'token-20e', True, {}),
    'tod-20e': (TOD, 'token-20e', True, {}),
}
for weight in (0.001, 0.1):
    for name, config in (('td', TD), ('tod', TOD)):
        RUNS[f'{name}-w{weight}'] = (
            config, 'token', True, dict(cfg_options={'model.loss_token.loss_weight': weight}))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', nargs='+', default=['teacher', 'token', 'none', 'od', 'td',
                                                      'tod'], choices=list(RUNS))
    parser.add_argument('--seeds', nargs='+', type=int, default=[0],
                        help='seeds of the student runs (teacher and token: seed 0)')
    parser.add_argument('--data-root', default=osp.join(ROOT, 'data/synth_coco'))
    parser.add_argument('--work-root', default=osp.join(ROOT, 'work_dirs/kd'))
    parser.add_argument('--epochs', type=int, help='override every run\'s max_epochs (smoke tests)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='key=value overrides for every run (e.g. train_dataloader.num_workers=6)')
    return parser.parse_args(argv)


def work_dir(args, name, seed):
    return osp.join(args.work_root, name if not RUNS[name][2] else f'{name}-seed{seed}')


def last_checkpoint(path):
    with open(osp.join(path, 'last_checkpoint')) as f:
        return f.read().strip()


def run_config(args, name, seed):
    """The config of run ``name`` (seed ``seed``), its teacher checkpoint the run before's."""
    config, teacher_run, seeded, changes = RUNS[name]
    cfg = study_config(osp.join(KD, config), work_dir(args, name, seed),
                       seed=seed if seeded else 0, epochs=args.epochs or changes.get('epochs'),
                       data_root=args.data_root,
                       cfg_options={**args.cfg_options, **changes.get('cfg_options', {})})
    if teacher_run is not None:
        cfg.model.teacher_checkpoint = last_checkpoint(work_dir(args, teacher_run, 0))
    return cfg


def run(args, name, seed):
    out = work_dir(args, name, seed)
    metrics_file = osp.join(out, 'kd_metrics.json')
    if osp.isfile(metrics_file):
        return json.load(open(metrics_file))
    runner, train_s = train_or_reuse(run_config(args, name, seed))
    metrics = runner.test()
    result = dict(ap=metrics['coco/AP'], ap50=metrics['coco/AP .5'], train_seconds=train_s,
                  checkpoint=last_checkpoint(out))
    with open(metrics_file, 'w') as f:
        json.dump(result, f, indent=1)
    return result


def main():
    args = parse_args()
    results = {}
    for name in args.runs:
        for seed in (args.seeds if RUNS[name][2] else [0]):
            results[name, seed] = run(args, name, seed)
    rows = [[name, seed, f'{r["ap"]:.3f}', f'{r["ap50"]:.3f}',
             'reused' if r['train_seconds'] is None else f'{r["train_seconds"] / 60:.1f}',
             f'{seconds_per_iter(work_dir(args, name, seed)):.3f}']
            for (name, seed), r in results.items()]
    print_table(['run', 'seed', 'val AP', 'AP50', 'train min', 's / iter'], rows)


if __name__ == '__main__':
    os.environ.setdefault('PYTHONHASHSEED', '0')
    main()
