import os.path as osp

import pytest
from mmengine.config import Config

from vitpose_ext.datasets.synthetic import make_synthetic_coco
from vitpose_ext.datasets.synthetic import QUADRUPED
from vitpose_ext.utils import set_data_root

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
BASELINE_CONFIG = osp.join(
    REPO, 'configs/baseline/td-hm_mmpretrain-vit-tiny_1xb32-30e_synthcoco-128x96.py')


@pytest.fixture(scope='session')
def synth_root(tmp_path_factory):
    """A small synthetic COCO-keypoints set shared by the runner tests."""
    root = str(tmp_path_factory.mktemp('synth_coco'))
    return make_synthetic_coco(root, num_train=24, num_val=8, seed=1, width=128, height=128)


@pytest.fixture(scope='session')
def synth_quadruped_root(tmp_path_factory):
    """A small synthetic quadruped set (AP-10K keypoints), the second data set of multi-task
    (ViTPose++) tests."""
    root = str(tmp_path_factory.mktemp('synth_quadruped'))
    return make_synthetic_coco(root, num_train=24, num_val=8, seed=2, width=128, height=128,
                               skeleton=QUADRUPED)


def tiny_run_cfg(config, data_root, work_dir, max_epochs=1):
    """``config`` shrunk for a seconds-long run through the runner: small batches, no workers,
    validation every epoch, a checkpoint every epoch."""
    cfg = Config.fromfile(config)
    set_data_root(cfg, data_root)
    cfg.work_dir = str(work_dir)
    cfg.train_cfg.max_epochs = max_epochs
    cfg.train_cfg.val_interval = 1
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[key].batch_size = 8
        cfg[key].num_workers = 0
        cfg[key].persistent_workers = False
    cfg.default_hooks.checkpoint.interval = 1
    cfg.default_hooks.logger.interval = 1
    cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=True)]
    cfg.randomness = dict(seed=0)
    return cfg
