import os.path as osp

import pytest
from mmengine.config import Config

from vitpose_ext.datasets.synthetic import make_synthetic_coco
from vitpose_ext.utils import set_data_root

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
BASELINE_CONFIG = osp.join(
    REPO, 'configs/baseline/td-hm_mmpretrain-vit-tiny_1xb32-30e_synthcoco-128x96.py')


@pytest.fixture(scope='session')
def synth_root(tmp_path_factory):
    """A small synthetic COCO-keypoints set shared by the runner tests."""
    root = str(tmp_path_factory.mktemp('synth_coco'))
    return make_synthetic_coco(root, num_train=24, num_val=8, seed=1, width=128, height=128)


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


COCO_FLIP_INDICES = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]


def pose_samples(num, input_size=(64, 64), seed=0):
    """``num`` PoseDataSamples with random crop-normalised COCO keypoint labels and weights (as
    ``GenerateTarget`` with ``RegressionLabel`` packs them), for head and estimator tests."""
    import torch
    from mmengine.structures import InstanceData
    from mmpose.structures import PoseDataSample

    g = torch.Generator().manual_seed(seed)
    samples = []
    for _ in range(num):
        sample = PoseDataSample(metainfo=dict(flip_indices=COCO_FLIP_INDICES,
                                              input_size=input_size))
        sample.gt_instance_labels = InstanceData(
            keypoint_labels=torch.rand(1, 17, 2, generator=g) * 0.8 + 0.1,
            keypoint_weights=(torch.rand(1, 17, generator=g) > 0.1).float())
        samples.append(sample)
    return samples
