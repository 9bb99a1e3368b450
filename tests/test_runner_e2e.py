"""A tiny train / interrupt / resume / test through MMEngine's Runner with the stock modules."""
import glob
import json
import os.path as osp

import pytest
from mmengine.runner import Runner

from helpers.common import (BASELINE_CONFIG, REPO, Interrupted, initial_params, tiny_run_cfg,
                            unmoved, with_joint_error)

pytestmark = pytest.mark.slow  # runs through MMEngine's Runner or a subprocess


@pytest.fixture(scope='module')
def interrupted_run(synth_root, tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('e2e')
    cfg = tiny_run_cfg(BASELINE_CONFIG, synth_root, work_dir, max_epochs=3)
    cfg.custom_hooks = [dict(type='InterruptAfterEpoch', epoch=2)]
    runner = Runner.from_cfg(cfg)
    with pytest.raises(Interrupted):
        runner.train()
    return work_dir


def test_interrupted_run_left_checkpoints_and_metrics(interrupted_run):
    assert osp.isfile(osp.join(interrupted_run, 'epoch_2.pth'))
    assert not osp.isfile(osp.join(interrupted_run, 'epoch_3.pth'))
    (scalars,) = glob.glob(osp.join(interrupted_run, '*/vis_data/scalars.json'))
    lines = [json.loads(line) for line in open(scalars)]
    # epoch 1 was validated; the interruption came before epoch 2's validation
    assert [line['step'] for line in lines if 'coco/AP' in line] == [1]


@pytest.mark.numerics
def test_resume_continues_from_the_saved_epoch(interrupted_run, synth_root):
    cfg = with_joint_error(tiny_run_cfg(BASELINE_CONFIG, synth_root, interrupted_run,
                                        max_epochs=3))
    cfg.resume = True
    runner = Runner.from_cfg(cfg)
    iters_per_epoch = len(runner.train_dataloader)
    runner.train()
    assert runner.epoch == 3 and runner.iter == 3 * iters_per_epoch
    # the optimizer state came back too: AdamW counted the steps of all 3 epochs
    steps = {int(s['step']) for s in runner.optim_wrapper.optimizer.state.values()}
    assert steps == {3 * iters_per_epoch}
    assert osp.isfile(osp.join(interrupted_run, 'epoch_3.pth'))
    log = open(runner.logger.log_file).read()
    assert 'resumed epoch: 2' in log and 'Epoch(train) [1]' not in log
    test_metrics = runner.test()

    # load_from on a fresh runner gives the same model, hence the same predictions: the same AP
    # (0 this early) and mean joint error
    cfg = tiny_run_cfg(BASELINE_CONFIG, synth_root, interrupted_run / 'reload', max_epochs=3)
    cfg.load_from = osp.join(interrupted_run, 'epoch_3.pth')
    reloaded = Runner.from_cfg(with_joint_error(cfg)).test()
    assert reloaded == pytest.approx(test_metrics, abs=1e-6)


@pytest.mark.parametrize('config', [
    'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py',
    'configs/vitpose/td-hm_vitpose-tiny-swin_1xb32-30e_synthcoco-128x96.py',
])
def test_vitpose_configs_train_and_test_through_the_runner(config, synth_root, tmp_path):
    cfg = tiny_run_cfg(osp.join(REPO, config), synth_root, tmp_path, max_epochs=1)
    runner = Runner.from_cfg(cfg)
    initial = initial_params(runner)
    runner.train()
    assert type(runner.model.backbone).__name__ == 'ViTPoseBackbone'
    assert osp.isfile(osp.join(tmp_path, 'epoch_1.pth'))
    # One epoch (6 iterations) is too short to show learning: the heatmap loss stays level and
    # the AP at 0. What it must show: the optimizer updated every parameter, so gradients reached
    # all of the model (a parameter without one keeps its value, weight decay included).
    assert not unmoved(runner.model, initial)
    assert set(runner.test()) >= {'coco/AP', 'coco/AR'}  # the configured COCO metric ran


def test_quickstart_draws_predictions(interrupted_run, synth_root, tmp_path):
    import importlib.util

    import cv2

    spec = importlib.util.spec_from_file_location('quickstart',
                                                  osp.join(REPO, 'tools/quickstart.py'))
    quickstart = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(quickstart)
    cfg = tiny_run_cfg(BASELINE_CONFIG, synth_root, tmp_path)
    with open(osp.join(interrupted_run, 'last_checkpoint')) as f:
        checkpoint = f.read().strip()
    png = quickstart.draw_predictions(cfg, checkpoint, synth_root, 3, str(tmp_path / 'pred.png'))
    img = cv2.imread(png)
    assert img is not None and img.shape[0] >= 128 * 3 and img.shape[1] >= 128 * 3 * 3
    green = (img[..., 1] > 150) & (img[..., 0] < 80) & (img[..., 2] < 80)
    assert green.sum() > 50  # ground-truth skeletons were drawn
