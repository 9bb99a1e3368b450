"""Running a study's configs from a script (projects/*/tools/): each run trains once, in its own
work dir, and is reused afterwards. The drivers put tools/analysis_tools/ on ``sys.path`` and
import it as ``study``:

    cfg = study_config('projects/x/configs/a.py', 'work_dirs/x/a', seed=1)
    runner, seconds = train_or_reuse(cfg)     # seconds is None for a finished run
    metrics = runner.test()
"""
import glob
import os.path as osp
import re
import time
from typing import Optional, Tuple

import numpy as np
from mmengine.config import Config
from mmengine.runner import Runner

from config_utils import set_data_root


def study_config(config: str, work_dir: str, seed: Optional[int] = None,
                 epochs: Optional[int] = None, data_root: Optional[str] = None,
                 cfg_options: Optional[dict] = None) -> Config:
    """``config`` set up for a run in ``work_dir``.

    Args:
        config: the config file.
        work_dir: the run's folder (also names its visualizer: MMEngine keeps one instance per
            name, and a second Runner in the process would otherwise write into the first run's
            folder).
        seed: ``randomness.seed`` (the config's if ``None``).
        epochs: another ``max_epochs``; ``MultiStepLR`` milestones are scaled to it.
        data_root: see :func:`set_data_root`.
        cfg_options: ``key=value`` overrides (``DictAction``'s result), applied first.
    """
    cfg = Config.fromfile(config)
    cfg.merge_from_dict(cfg_options or {})
    cfg.work_dir = work_dir
    cfg.visualizer.name = f'visualizer_{osp.basename(osp.normpath(work_dir))}'
    if seed is not None:
        cfg.randomness = dict(seed=seed)
    if epochs:
        scale = epochs / cfg.train_cfg.max_epochs
        cfg.train_cfg.max_epochs = epochs
        for sched in cfg.param_scheduler:
            if sched.type == 'MultiStepLR':
                sched.end = epochs
                sched.milestones = [round(m * scale) for m in sched.milestones]
    if data_root:
        set_data_root(cfg, data_root)
    return cfg


def train_or_reuse(cfg: Config) -> Tuple[Runner, Optional[float]]:
    """The Runner of ``cfg`` after training, and the training seconds.

    A finished run (``epoch_{max_epochs}.pth`` in the work dir) is not trained again: its weights
    are loaded for testing and the seconds are ``None``. An interrupted run resumes from its last
    checkpoint."""
    final = osp.join(cfg.work_dir, f'epoch_{cfg.train_cfg.max_epochs}.pth')
    if osp.isfile(final):
        cfg.load_from, cfg.resume = final, False
        return Runner.from_cfg(cfg), None
    cfg.resume = osp.isfile(osp.join(cfg.work_dir, 'last_checkpoint'))
    runner = Runner.from_cfg(cfg)
    start = time.perf_counter()
    runner.train()
    return runner, time.perf_counter() - start


def seconds_per_iter(work_dir: str) -> float:
    """Mean logged training time per iteration (MMEngine's ``time``) in the run's text logs,
    epoch 1 (warm-up) left out; nan without logs."""
    times = []
    for log in glob.glob(osp.join(work_dir, '*/*.log')):
        for line in open(log):
            m = re.search(r'Epoch\(train\)\s*\[(\d+)\].*?\stime: ([0-9.]+)', line)
            if m and int(m.group(1)) > 1:
                times.append(float(m.group(2)))
    return float(np.mean(times)) if times else float('nan')
