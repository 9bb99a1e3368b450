"""The SimDR configs train and test through MMEngine's Runner (tiny synthetic run)."""
import math
import os.path as osp

import pytest
from mmengine.runner import Runner

from conftest import REPO, tiny_run_cfg

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
    runner.train()
    assert type(runner.model.head).__name__ == head
    assert osp.isfile(osp.join(tmp_path, 'epoch_1.pth'))
    scalars = runner.message_hub.log_scalars
    assert math.isfinite(scalars['train/loss_kpt'].current())
    assert 0 <= scalars['train/acc_pose'].current() <= 1
    metrics = runner.test()  # flip test on, as configured
    assert math.isfinite(metrics['coco/AP'])
