"""LoadCheckHook: load_from a checkpoint of another architecture fails with every mismatched
key in the run's log, unless the config allows partial loading; matching checkpoints load."""
import os.path as osp

import pytest
import torch
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from helpers.common import REPO, tiny_run_cfg
from mmpose.registry import MODELS

pytestmark = pytest.mark.slow  # runs through MMEngine's Runner or a subprocess

CONFIG = osp.join(REPO, 'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py')


def other_architecture_checkpoint(cfg, path):
    init_default_scope('mmpose')
    model_cfg = cfg.model.copy()
    model_cfg.backbone = dict(cfg.model.backbone, arch=dict(embed_dims=128, num_layers=4,
                                                            num_heads=4))
    model_cfg.head = dict(cfg.model.head, in_channels=128)
    torch.save({'state_dict': MODELS.build(model_cfg).state_dict()}, path)
    return str(path)


def test_another_architecture_is_refused_and_logged(synth_root, tmp_path):
    cfg = tiny_run_cfg(CONFIG, synth_root, tmp_path)
    cfg.load_from = other_architecture_checkpoint(cfg, tmp_path / 'other.pth')
    runner = Runner.from_cfg(cfg)
    with pytest.raises(ValueError, match='does not fit the model') as info:
        runner.train()
    assert 'size mismatch' in str(info.value) and 'allow_partial=True' in str(info.value)
    log = open(runner.logger.log_file).read()
    assert 'backbone.blocks.0.attn.qkv.weight' in log  # every key, in the log file


def test_partial_loading_on_request_and_matching_checkpoints(synth_root, tmp_path):
    cfg = tiny_run_cfg(CONFIG, synth_root, tmp_path / 'partial')
    cfg.load_from = other_architecture_checkpoint(cfg, tmp_path / 'other.pth')
    cfg.default_hooks.load_check.allow_partial = True
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert 'loaded the rest: allow_partial=True' in open(runner.logger.log_file).read()

    cfg = tiny_run_cfg(CONFIG, synth_root, tmp_path / 'same')
    cfg.load_from = str(tmp_path / 'partial' / 'epoch_1.pth')
    Runner.from_cfg(cfg).test()  # its own architecture: no error
