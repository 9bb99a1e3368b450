"""The SimDR configs train and test through MMEngine's Runner (tiny synthetic run)."""
import os.path as osp

import pytest
from mmengine.runner import Runner

from helpers.common import REPO, initial_params, tiny_run_cfg, unmoved

pytestmark = pytest.mark.slow  # runs through MMEngine's Runner or a subprocess


@pytest.mark.parametrize('config,head', [
    ('projects/simdr_vit/configs/simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py', 'SimDRHead'),
    ('projects/simdr_vit/configs/sa-simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py', 'SimDRHead'),
    ('projects/simdr_vit/configs/'
        'simdr-token_vitpose-tiny_1xb32-30e_synthcoco-64x64.py', 'SimDRTokenHead'),
])
def test_simdr_configs_train_and_test_through_the_runner(config, head, synth_root, tmp_path):
    cfg = tiny_run_cfg(osp.join(REPO, config), synth_root, tmp_path, max_epochs=1)
    runner = Runner.from_cfg(cfg)
    initial = initial_params(runner)
    runner.train()
    assert type(runner.model.head).__name__ == head
    assert osp.isfile(osp.join(tmp_path, 'epoch_1.pth'))
    # One epoch (6 iterations) is too short to show learning: the loss stays level within the
    # batch-to-batch spread and the AP at 0. What it must show: the optimizer updated every
    # parameter, so gradients reached all of the model, the SimDR readout included.
    assert not unmoved(runner.model, initial)
    assert 0 <= runner.message_hub.get_scalar('train/acc_pose').current() <= 1
    assert set(runner.test()) >= {'coco/AP', 'coco/AR'}  # flip test on, as configured
