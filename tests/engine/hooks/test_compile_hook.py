"""CompileModulesHook: the backbone is compiled in place, training runs, checkpoints keep their
keys and load into an uncompiled model with the same outputs."""
import os.path as osp

import pytest
import torch
from mmengine.runner import Runner
from mmengine.runner.checkpoint import CheckpointLoader

from helpers.common import REPO, tiny_run_cfg
from mmpose.registry import MODELS

pytestmark = [pytest.mark.slow, pytest.mark.numerics]  # the Runner; both regimes

CONFIG = osp.join(REPO, 'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py')


def test_backbone_compiled_for_training_and_checkpoint_unchanged(synth_root, tmp_path):
    cfg = tiny_run_cfg(CONFIG, synth_root, tmp_path)
    cfg.custom_hooks = [dict(type='CompileModulesHook', compile_cfg=dict(backend='eager'))]
    runner = Runner.from_cfg(cfg)
    runner.train()
    backbone = runner.model.backbone
    assert backbone._compiled_call_impl is not None  # nn.Module.compile was applied
    assert runner.model.head._compiled_call_impl is None
    state = CheckpointLoader.load_checkpoint(str(tmp_path / 'epoch_1.pth'))['state_dict']
    assert not any('_orig_mod' in k for k in state)
    plain = MODELS.build(cfg.model)
    plain.load_state_dict(state)
    x = torch.randn(2, 3, 128, 96)
    with torch.no_grad():
        torch.testing.assert_close(backbone.eval()(x), plain.backbone.eval()(x))


def test_an_unknown_module_is_named(synth_root, tmp_path):
    cfg = tiny_run_cfg(CONFIG, synth_root, tmp_path)
    cfg.custom_hooks = [dict(type='CompileModulesHook', modules=['backbone', 'neck'])]
    with pytest.raises(ValueError, match="no submodule 'neck'"):
        Runner.from_cfg(cfg).train()
