"""tools/analysis_tools/study.py: a study's run trains once and is reused, schedules scale."""
import os.path as osp

import pytest
import torch

from config_utils import shrink_for_smoke_run
from helpers.common import REPO
from study import seconds_per_iter, study_config, train_or_reuse

CONFIG = osp.join(REPO, 'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py')


def test_study_config_scales_the_schedule_and_names_the_run(tmp_path):
    cfg = study_config(CONFIG, str(tmp_path / 'run_a'), seed=3, epochs=15,
                       cfg_options={'model.backbone.drop_path_rate': 0.0})
    assert cfg.train_cfg.max_epochs == 15 and cfg.randomness.seed == 3
    (steps, ) = [s for s in cfg.param_scheduler if s.type == 'MultiStepLR']
    assert steps.milestones == [12, 14] and steps.end == 15  # 24, 28 of 30
    assert cfg.visualizer.name == 'visualizer_run_a'
    assert cfg.model.backbone.drop_path_rate == 0.0


@pytest.mark.slow
def test_a_finished_run_is_reused_not_trained_again(synth_root, tmp_path):
    def cfg():
        c = study_config(CONFIG, str(tmp_path / 'run'))
        return shrink_for_smoke_run(c, synth_root, c.work_dir, max_epochs=1)

    runner, seconds = train_or_reuse(cfg())
    assert seconds > 0 and osp.isfile(tmp_path / 'run' / 'epoch_1.pth')
    trained = {k: v.clone() for k, v in runner.model.state_dict().items()}
    runner, seconds = train_or_reuse(cfg())
    assert seconds is None and runner.iter == 0
    untrained = runner.model.state_dict()['backbone.pos_embed'].clone()
    assert not torch.equal(untrained, trained['backbone.pos_embed'])
    runner.test()  # loads the finished run's weights
    for key, value in runner.model.state_dict().items():
        assert torch.equal(value, trained[key]), key


def test_seconds_per_iter_reads_the_logs_after_epoch_1(tmp_path):
    log = tmp_path / '20261126_000000' / '20261126_000000.log'
    log.parent.mkdir()
    log.write_text(
        'Epoch(train)  [1][10/63]  lr: 1e-3  eta: 0:20:00  time: 9.0  data_time: 0.1\n'
        'Epoch(train)  [2][10/63]  lr: 1e-3  eta: 0:19:00  time: 0.5  data_time: 0.1\n'
        'Epoch(train)  [3][10/63]  lr: 1e-3  eta: 0:18:00  time: 0.7  data_time: 0.1\n')
    assert seconds_per_iter(str(tmp_path)) == pytest.approx(0.6)
