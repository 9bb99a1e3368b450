"""Fixtures of the inference tests: small models of each head family with 'trained-looking'
weights (random, perturbed so that outputs are sharp and varied, as tests/deploy/test_onnx.py
makes them), a briefly trained heatmap model, and the real COCO sample with its detections."""
import os.path as osp

import pytest

from helpers.common import REPO, perturbed_checkpoint, tiny_run_cfg
from helpers.realdata import realdata_path
from model_families import FAMILIES

CONFIGS = {name: FAMILIES[name] for name in ('vitpose', 'simdr', 'pct', 'vitpose-pp')}


@pytest.fixture(scope='session')
def model_files(tmp_path_factory):
    """name -> (config, checkpoint) of a model of ``CONFIGS``, written once per session."""
    root, made = tmp_path_factory.mktemp('models'), {}

    def get(name):
        if name not in made:
            config = osp.join(REPO, CONFIGS[name])
            made[name] = (config, perturbed_checkpoint(config, root / f'{name}.pth'))
        return made[name]

    return get


@pytest.fixture(scope='session')
def trained_files(tmp_path_factory):
    """(config, checkpoint) of the tiny ViTPose trained through the Runner for 4 epochs of 17
    iterations (batches of 32) on 256 synthetic images: about 20 s on 2 cores (30 s on one
    thread), and its heatmaps have the peaks that make DARK's refinement well conditioned, which
    the perturbed random models' flat, mostly negative maps do not. 16 epochs (67 s) gave the
    exactness test no more margin: median error 2.2e-4 px and 99.75% within 0.1 px (seed 0),
    against 1.2e-4 / 1.1e-4 / 1.3e-4 px and 99.95 / 100 / 99.6% after 4 (seeds 0 / 1 / 2; seeds
    0 and 1 in the second numeric regime: 1.2e-4 px, 99.95%)."""
    from mmengine.runner import Runner

    from vitpose_ext.datasets.synthetic import make_synthetic_coco
    root = tmp_path_factory.mktemp('trained')
    data = make_synthetic_coco(str(root / 'data'), num_train=256, num_val=4, seed=3)
    epochs = 4
    cfg = tiny_run_cfg(osp.join(REPO, CONFIGS['vitpose']), data, root / 'work', epochs)
    cfg.train_dataloader.batch_size = 32
    cfg.train_cfg.val_interval = epochs  # validated and saved once, at the end
    cfg.default_hooks.checkpoint.interval = epochs
    Runner.from_cfg(cfg).train()
    return osp.join(REPO, CONFIGS['vitpose']), str(root / 'work' / f'epoch_{epochs}.pth')


@pytest.fixture(scope='session')
def coco_sample():
    """(image folder, {image_id: boxes (N, 5)}, annotation file) of the real COCO sample."""
    from vitpose_ext.inference import load_detections
    folder = realdata_path('coco')
    boxes = load_detections(osp.join(folder, 'test_coco_det_AP_H_56.json'))
    return folder, boxes, osp.join(folder, 'test_coco.json')
