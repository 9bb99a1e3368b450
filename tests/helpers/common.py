"""Helpers shared by the test files, the library's (tests/) and the projects'
(projects/<name>/tests/): ``from helpers.common import ...`` (the repository's conftest.py puts
tests/ on ``sys.path``). Fixtures live in that conftest.py."""
import contextlib
import itertools
import logging
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.hooks import Hook
from mmengine.logging import MMLogger
from mmengine.registry import HOOKS, init_default_scope
from mmpose.registry import MODELS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# the tools' shared modules (also for the scripts that tests run as subprocesses and that import
# this module without pytest's conftest.py)
if osp.join(REPO, 'tools', 'analysis_tools') not in sys.path:
    sys.path.insert(0, osp.join(REPO, 'tools', 'analysis_tools'))
from config_utils import shrink_for_smoke_run  # noqa: E402
BASELINE_CONFIG = osp.join(
    REPO, 'configs/baseline/td-hm_mmpretrain-vit-tiny_1xb32-30e_synthcoco-128x96.py')
COCO_FLIP_INDICES = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]
_run_ids = itertools.count()  # experiment names, one per tiny run
# The seed of every tiny run: learning tests must hold for any, e.g. VITPOSE_TEST_SEED=1 or 2
TEST_SEED = int(os.environ.get('VITPOSE_TEST_SEED', '0'))


def first_val_image(root):
    """Path of the first validation image of a synthetic set made by ``make_synthetic_coco``."""
    return osp.join(root, 'val', sorted(os.listdir(osp.join(root, 'val')))[0])


def perturbed_checkpoint(config, path, scale=0.02):
    """A checkpoint at ``path`` (returned as a str) of the model of ``config`` (a path or a
    Config) with 'trained-looking' weights: built with seed 0, every parameter perturbed by
    Gaussian noise of std ``scale``, so that outputs are sharp and varied."""
    init_default_scope('mmpose')
    torch.manual_seed(0)
    model = MODELS.build((Config.fromfile(config) if isinstance(config, str) else config).model)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * scale)
    torch.save({'state_dict': model.state_dict()}, path)
    return str(path)


def mmpose_crops(model, image, boxes):
    """The crops MMPose's test pipeline cuts for ``boxes`` (what inference_topdown feeds the
    model), as float32 (N, 3, h, w), and their [(center, scale)]."""
    pipeline = Compose(model.cfg.test_dataloader.dataset.pipeline)
    crops, frames = [], []
    for box in boxes:
        data = pipeline(dict(img=image.copy(), bbox=box[None], bbox_score=np.ones(1, np.float32),
                             **model.dataset_meta))
        crops.append(data['inputs'].numpy().astype(np.float32))
        meta = data['data_samples'].metainfo
        frames.append((meta['input_center'], meta['input_scale']))
    return np.stack(crops), frames


def build_uninitialised(model_cfg):
    """The model of ``model_cfg`` built with PyTorch's initialisers doing nothing: for tests
    that check building or replace the forward, filling up to ~1B parameters (ViTPose(++)-H)
    with random numbers is most of the time (12 s of 12.3 s for ViTPose++-H)."""
    from unittest import mock
    keep = lambda tensor, *args, **kwargs: tensor  # noqa: E731
    with mock.patch.multiple(torch.nn.init, kaiming_uniform_=keep, uniform_=keep, normal_=keep,
                             trunc_normal_=keep, constant_=keep, xavier_uniform_=keep):
        return MODELS.build(model_cfg)


def run_script(script, *args):
    """``python script args`` from the repository, as a user runs it (``script`` relative to the
    repository or absolute); asserts it succeeded and returns the finished process."""
    done = subprocess.run([sys.executable, script, *map(str, args)], capture_output=True,
                          text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def tiny_run_cfg(config, data_root, work_dir, max_epochs=1):
    """``config`` shrunk for a seconds-long run through the runner (batches of 8, no workers)."""
    cfg = shrink_for_smoke_run(Config.fromfile(config), data_root, work_dir, max_epochs)
    cfg.randomness = dict(seed=TEST_SEED)
    # A run's logger and visualizer are process-wide instances looked up by name (the logger's
    # is the config's name and the second it started, MMPose's visualizer is 'visualizer'): a
    # later runner in this process would log and write its scalars into an earlier one's folder.
    cfg.experiment_name = f'test_run_{next(_run_ids)}'
    if cfg.get('visualizer') is not None:
        cfg.visualizer.name = cfg.experiment_name
    return cfg


def with_joint_error(cfg):
    """``cfg`` (in place) also testing with ``JointErrorMetric``: a mean joint error in pixels
    that any change of the predictions changes, to compare two models' test results (the AP of
    these tiny runs is 0)."""
    cfg.test_evaluator = [cfg.test_evaluator, dict(type='JointErrorMetric')]
    return cfg


def loss_halves(runner, key='train/loss'):
    """Mean of ``key`` over the first and over the second half of the training iterations, from
    the per-iteration values in the runner's message hub (restored on resume)."""
    values = torch.as_tensor(runner.message_hub.get_scalar(key).data[0], dtype=torch.float64)
    half = len(values) // 2
    return values[:half].mean().item(), values[half:].mean().item()


def initial_params(runner):
    """Initialise ``runner.model``'s weights as ``runner.train()`` does first (it does not
    again), and return a copy of its trainable parameters."""
    runner.model.init_weights()
    return {n: p.detach().clone() for n, p in runner.model.named_parameters() if p.requires_grad}


def unmoved(model, params):
    """Names of the parameters in ``params`` (e.g. from :func:`initial_params`) that still hold
    the same values in ``model``."""
    now = dict(model.named_parameters())
    return [n for n, p in params.items() if torch.equal(now[n].detach(), p)]


def coco_train_set(root, pipeline):
    """The top-down COCO data set of a synthetic set's training split, through ``pipeline``."""
    from mmpose.datasets import CocoDataset
    from mmpose.utils import register_all_modules

    register_all_modules()
    return CocoDataset(data_root=root, data_mode='topdown',
                       ann_file='annotations/person_keypoints_train.json',
                       data_prefix=dict(img='train/'), pipeline=pipeline)


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


def pose_samples(num, input_size=(64, 64), seed=0):
    """``num`` PoseDataSamples with random crop-normalised COCO keypoint labels and weights (as
    ``GenerateTarget`` with ``RegressionLabel`` packs them), for head and estimator tests."""
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


class Interrupted(RuntimeError):
    """Raised by ``InterruptAfterEpoch`` (a hook registered when this module is imported)."""


@HOOKS.register_module(force=True)
class InterruptAfterEpoch(Hook):
    """Raise after the checkpoint of epoch ``epoch`` (1-based) was written, like a killed job."""
    priority = 'LOWEST'  # after CheckpointHook

    def __init__(self, epoch):
        self.epoch = epoch

    def after_train_epoch(self, runner):
        if runner.epoch + 1 == self.epoch:
            raise Interrupted(f'interrupted after epoch {self.epoch}')
