"""A tiny train / interrupt / resume / test through MMEngine's Runner with the stock modules."""
import glob
import json
import math
import os.path as osp

import pytest
from mmengine.hooks import Hook
from mmengine.registry import HOOKS
from mmengine.runner import Runner

from conftest import BASELINE_CONFIG, REPO, tiny_run_cfg

pytestmark = pytest.mark.slow  # runs through MMEngine's Runner or a subprocess


class Interrupted(RuntimeError):
    pass


@HOOKS.register_module(force=True)
class InterruptAfterEpoch(Hook):
    """Raise after the checkpoint of epoch ``epoch`` (1-based) was written, like a killed job."""
    priority = 'LOWEST'  # after CheckpointHook

    def __init__(self, epoch):
        self.epoch = epoch

    def after_train_epoch(self, runner):
        if runner.epoch + 1 == self.epoch:
            raise Interrupted(f'interrupted after epoch {self.epoch}')


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
    aps = [line['coco/AP'] for line in lines if 'coco/AP' in line]
    # epoch 1 was validated; the interruption came before epoch 2's validation
    assert len(aps) == 1 and math.isfinite(aps[0])


def test_resume_continues_from_the_saved_epoch(interrupted_run, synth_root):
    cfg = tiny_run_cfg(BASELINE_CONFIG, synth_root, interrupted_run, max_epochs=3)
    cfg.resume = True
    runner = Runner.from_cfg(cfg)
    iters_per_epoch = len(runner.train_dataloader)
    model = runner.train()
    assert model is runner.model
    assert runner.epoch == 3 and runner.iter == 3 * iters_per_epoch
    assert osp.isfile(osp.join(interrupted_run, 'epoch_3.pth'))
    log = open(runner.logger.log_file).read()
    assert 'resumed epoch: 2' in log and 'Epoch(train) [1]' not in log
    test_metrics = runner.test()
    assert math.isfinite(test_metrics['coco/AP'])

    # load_from on a fresh runner gives the same model, hence the same AP
    cfg = tiny_run_cfg(BASELINE_CONFIG, synth_root, interrupted_run / 'reload', max_epochs=3)
    cfg.load_from = osp.join(interrupted_run, 'epoch_3.pth')
    reloaded = Runner.from_cfg(cfg).test()
    assert reloaded['coco/AP'] == pytest.approx(test_metrics['coco/AP'], abs=1e-6)


@pytest.mark.parametrize('config', [
    'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py',
    'configs/vitpose/td-hm_vitpose-tiny-swin_1xb32-30e_synthcoco-128x96.py',
])
def test_vitpose_configs_train_and_test_through_the_runner(config, synth_root, tmp_path):
    cfg = tiny_run_cfg(osp.join(REPO, config), synth_root, tmp_path, max_epochs=1)
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert type(runner.model.backbone).__name__ == 'ViTPoseBackbone'
    assert osp.isfile(osp.join(tmp_path, 'epoch_1.pth'))
    assert math.isfinite(runner.test()['coco/AP'])


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
