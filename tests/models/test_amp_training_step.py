"""One bf16-autocast training step of every model family, built from its tiny synthetic config and
fed a batch of its own data pipeline: the loss is finite, every trainable parameter gets a
finite gradient, and frozen parameters get none. On the CPU always, on CUDA where available.
The families and their configs are tools/analysis_tools/model_families.py's (which
tools/gpu_check.py trains)."""
import os.path as osp

import pytest
import torch
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from helpers.common import REPO, tiny_run_cfg
from model_families import FAMILIES
from mmpose.registry import MODELS

pytestmark = pytest.mark.numerics  # two paths: run in both regimes

# parameters that may get no gradient from one batch: nothing here, since every batch of the
# multi-data-set config holds samples of both data sets
DEVICES = ['cpu', pytest.param('cuda', marks=pytest.mark.cuda)]


def build(family, synth_root, synth_quadruped_root, tmp_path):
    roots = [synth_root, synth_quadruped_root] if family == 'vitpose-pp' else synth_root
    cfg = tiny_run_cfg(osp.join(REPO, FAMILIES[family]), roots, tmp_path)
    model_cfg = cfg.model
    if family == 'pct':  # no stage-1 / backbone checkpoints: random weights, same computation
        model_cfg.backbone_checkpoint = None
        model_cfg.head.tokenizer_checkpoint = None
    if family.startswith('kd-'):  # no teacher checkpoint: a random teacher
        model_cfg.teacher_checkpoint = None
    init_default_scope('mmpose')
    model = MODELS.build(model_cfg)
    model.init_weights()
    if family == 'kd-student':  # the stage-1 token teacher_checkpoint would give (zeros without)
        model.teacher_tokens.normal_()
    batch = next(iter(Runner.build_dataloader(cfg.train_dataloader)))
    return model, batch


@pytest.mark.parametrize('device', DEVICES)
@pytest.mark.parametrize('family', FAMILIES)
def test_bf16_autocast_training_step(family, device, synth_root, synth_quadruped_root, tmp_path):
    torch.manual_seed(0)
    model, batch = build(family, synth_root, synth_quadruped_root, tmp_path)
    model = model.to(device).train()
    data = model.data_preprocessor(batch, training=True)
    with torch.autocast(device, dtype=torch.bfloat16):
        losses = model(**data, mode='loss')
    loss, log_vars = model.parse_losses(losses)
    assert torch.isfinite(loss), log_vars
    loss.backward()
    trainable = {n: p for n, p in model.named_parameters() if p.requires_grad}
    assert trainable
    for name, p in model.named_parameters():
        if not p.requires_grad:
            assert p.grad is None, f'frozen {name} got a gradient'
            continue
        assert p.grad is not None, f'{name} got no gradient'
        assert torch.isfinite(p.grad).all(), f'{name}: non-finite gradient'
    no_signal = [n for n, p in trainable.items() if not p.grad.abs().sum() > 0]
    assert not no_signal, f'zero gradient: {no_signal}'
