import contextlib
import itertools
import logging
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger

from vitpose_ext.datasets.synthetic import make_synthetic_coco
from vitpose_ext.datasets.synthetic import QUADRUPED
from vitpose_ext.utils import shrink_for_smoke_run

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
BASELINE_CONFIG = osp.join(
    REPO, 'configs/baseline/td-hm_mmpretrain-vit-tiny_1xb32-30e_synthcoco-128x96.py')
_run_ids = itertools.count()  # experiment names, one per tiny run


def pytest_collection_modifyitems(config, items):
    """Tests marked ``cuda`` are skipped where no CUDA GPU is available."""
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason='needs a CUDA GPU')
    for item in items:
        if 'cuda' in item.keywords:
            item.add_marker(skip)


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


def first_val_image(root):
    """Path of the first validation image of a synthetic set made by ``make_synthetic_coco``."""
    return osp.join(root, 'val', sorted(os.listdir(osp.join(root, 'val')))[0])


def tiny_run_cfg(config, data_root, work_dir, max_epochs=1):
    """``config`` shrunk for a seconds-long run through the runner (batches of 8, no workers)."""
    cfg = shrink_for_smoke_run(Config.fromfile(config), data_root, work_dir, max_epochs)
    # A run's logger and visualizer are process-wide instances looked up by name (the logger's
    # is the config's name and the second it started, MMPose's visualizer is 'visualizer'): a
    # later runner in this process would log and write its scalars into an earlier one's folder.
    cfg.experiment_name = f'test_run_{next(_run_ids)}'
    if cfg.get('visualizer') is not None:
        cfg.visualizer.name = cfg.experiment_name
    return cfg


def tiny_vitpose_cfg(dims=32, num_layers=2, num_heads=2, **backbone_kw):
    """Config of a small top-down ViTPose (64x64 input, 16x16 heatmaps, BN in the head, drop
    path on) for model-level tests."""
    return dict(
        type='TopdownPoseEstimator',
        data_preprocessor=dict(type='PoseDataPreprocessor', mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375], bgr_to_rgb=True),
        backbone=dict(type='ViTPoseBackbone',
                      arch=dict(embed_dims=dims, num_layers=num_layers, num_heads=num_heads,
                                mlp_ratio=2.0),
                      img_size=(64, 64), patch_size=16, patch_padding=2, drop_path_rate=0.3,
                      **backbone_kw),
        head=dict(type='HeatmapHead', in_channels=dims, out_channels=17,
                  deconv_out_channels=(16, 16), deconv_kernel_sizes=(4, 4),
                  loss=dict(type='KeypointMSELoss', use_target_weight=True)),
        test_cfg=dict(flip_test=False))


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


@contextlib.contextmanager
def captured_log():
    """The log records MMEngine's current logger emits inside the block (MMLogger does not
    propagate to the root logger, so pytest's caplog does not see them)."""
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = MMLogger.get_current_instance()
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
