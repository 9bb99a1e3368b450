import itertools
import os.path as osp

import pytest
from mmengine.config import Config

from vitpose_ext.datasets.synthetic import make_synthetic_coco
from vitpose_ext.utils import set_data_root

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
BASELINE_CONFIG = osp.join(
    REPO, 'configs/baseline/td-hm_mmpretrain-vit-tiny_1xb32-30e_synthcoco-128x96.py')
_run_ids = itertools.count()  # experiment names, one per tiny run


@pytest.fixture(scope='session')
def synth_root(tmp_path_factory):
    """A small synthetic COCO-keypoints set shared by the runner tests."""
    root = str(tmp_path_factory.mktemp('synth_coco'))
    return make_synthetic_coco(root, num_train=24, num_val=8, seed=1, width=128, height=128)


def tiny_run_cfg(config, data_root, work_dir, max_epochs=1):
    """``config`` shrunk for a seconds-long run through the runner: small batches, no workers,
    validation every epoch (where the config validates), a checkpoint every epoch."""
    cfg = Config.fromfile(config)
    set_data_root(cfg, data_root)
    cfg.work_dir = str(work_dir)
    # A run's logger and visualizer are process-wide instances looked up by name (the logger's
    # is the config's name and the second it started, MMPose's visualizer is 'visualizer'): a
    # later runner in this process would log and write its scalars into an earlier one's folder.
    cfg.experiment_name = f'test_run_{next(_run_ids)}'
    if cfg.get('visualizer') is not None:
        cfg.visualizer.name = cfg.experiment_name
    cfg.train_cfg.max_epochs = max_epochs
    cfg.train_cfg.val_interval = 1
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(key) is None:  # e.g. self-supervised pre-training: no validation
            continue
        cfg[key].batch_size = 8
        cfg[key].num_workers = 0
        cfg[key].persistent_workers = False
    cfg.default_hooks.checkpoint.interval = 1
    cfg.default_hooks.logger.interval = 1
    cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=True)]
    cfg.randomness = dict(seed=0)
    return cfg
