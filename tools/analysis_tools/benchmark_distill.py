"""Training-time cost per iteration of knowledge-token distillation against no distillation.

    python tools/analysis_tools/benchmark_distill.py                      # CPU, the configs' batch (32), 128x96
    python tools/analysis_tools/benchmark_distill.py --device cuda --iters 50

Builds the student of ``projects/kd_synthetic/configs/`` without distillation and with each kind of distillation
(plus the stage-1 token learning and the teacher's own training step, for reference), takes real
training batches from the synthetic data set (data pipeline run beforehand, so only the model is
timed), and times the full MMEngine ``train_step`` (preprocessing, student and teacher forward,
losses, backward, optimizer step) of each, round-robin so that all share the machine's state.
Prints the median seconds per iteration and the ratio to the undistilled student. Weights are
random: the cost does not depend on them.
"""
import argparse
import logging
import os.path as osp
import statistics
import time

import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.optim import build_optim_wrapper
from mmengine.runner import Runner
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

from benchmark_utils import print_table
from config_utils import set_data_root

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
KD = osp.join(ROOT, 'projects/kd_synthetic/configs')
VARIANTS = {  # name: (config, what one training iteration runs)
    'none': ('td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py', 'student'),
    'ta': ('kd-token-appended_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py', 'student + token'),
    'od': ('kd-output_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py',
           'student, teacher forward'),
    'td': ('kd-token-distill_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py',
           'student + token, teacher + token forward (no head)'),
    'tod': ('kd-token-output_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py',
            'student + token, teacher + token forward'),
    'stage 1': ('kd-learn-token_vitpose-6x256_1xb32-5e_synthcoco-128x96.py',
                'frozen teacher + token, backward to the token'),
    'teacher': ('td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py', 'teacher training'),
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--variants', nargs='+', default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument('--iters', type=int, default=10, help='timed iterations per variant')
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--batch', type=int, help='override the configs\' batch size (32)')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--data-root', default=osp.join(ROOT, 'data/synth_coco'))
    return parser.parse_args()


def batches(args, cfg, count):
    loader_cfg = cfg.train_dataloader
    loader_cfg.num_workers, loader_cfg.persistent_workers = 0, False
    if args.batch:
        loader_cfg.batch_size = args.batch
    it = iter(Runner.build_dataloader(loader_cfg, seed=0))
    return [next(it) for _ in range(count)]


def main():
    args = parse_args()
    # no per-parameter init / optimizer log, no warning per frozen teacher parameter
    MMLogger.get_instance('mmengine').setLevel(logging.ERROR)
    register_all_modules()
    torch.manual_seed(0)
    models, data = {}, None
    for name in args.variants:
        cfg = Config.fromfile(osp.join(KD, VARIANTS[name][0]))
        set_data_root(cfg, args.data_root)
        if 'teacher_checkpoint' in cfg.model:  # random weights: only the time is measured
            cfg.model.teacher_checkpoint = None
        model = MODELS.build(cfg.model).to(args.device)
        model.init_weights()
        model.train()
        models[name] = (model, build_optim_wrapper(model, cfg.optim_wrapper))
        data = data or batches(args, cfg, args.warmup + args.iters)
    times = {name: [] for name in models}
    for i, batch in enumerate(data):
        for name, (model, optim) in models.items():
            if args.device == 'cuda':
                torch.cuda.synchronize()
            start = time.perf_counter()
            model.train_step(batch, optim)
            if args.device == 'cuda':
                torch.cuda.synchronize()
            if i >= args.warmup:
                times[name].append(time.perf_counter() - start)
    base = statistics.median(times['none']) if 'none' in times else None
    rows = []
    for name, ts in times.items():
        med = statistics.median(ts)
        rows.append([name, VARIANTS[name][1], f'{med:.3f}',
                     f'{med / base:.2f}x' if base else '-'])
    batch = len(data[0]['inputs'])
    print(f'Knowledge-token distillation, training step, {args.device}, batch {batch}, '
          f'median of {args.iters} iterations')
    print_table(['variant', 'one iteration runs', 's / iter', 'vs no distillation'], rows)


if __name__ == '__main__':
    main()
