"""MAE pre-training on person crops through the runner, then fine-tuning from it via init_cfg."""
import os.path as osp

import pytest
import torch
from mmengine.runner import Runner

from helpers.common import REPO, initial_params, loss_halves, tiny_run_cfg, unmoved

pytestmark = [pytest.mark.slow, pytest.mark.numerics]  # the Runner; both regimes

MAE_CONFIG = osp.join(REPO, 'configs/mae/mae_vit-tiny-p16_1xb64-100e_synthcoco-crops-128x128.py')
FINETUNE_CONFIG = osp.join(
    REPO, 'configs/vitpose/td-hm_vitpose-tiny-mae_1xb32-30e_synthcoco-128x96.py')


def test_mae_pretraining_initialises_vitpose_finetuning(synth_root, tmp_path):
    cfg = tiny_run_cfg(MAE_CONFIG, synth_root, tmp_path / 'mae')
    mae_runner = Runner.from_cfg(cfg)
    initial = initial_params(mae_runner)
    mae_runner.train()
    # it learns within its one epoch: the reconstruction loss of the second half of the
    # iterations is below the first half's (about 1.18 against 1.27), and every parameter moved
    first, second = loss_halves(mae_runner)
    # ratio 0.93-0.94 over seeds 0-2 in both regimes (README "Tests")
    assert second < first, (first, second)
    assert not unmoved(mae_runner.model, initial)
    mae_backbone = mae_runner.model.backbone
    checkpoint = str(tmp_path / 'mae' / 'epoch_1.pth')
    assert osp.isfile(checkpoint)

    cfg = tiny_run_cfg(FINETUNE_CONFIG, synth_root, tmp_path / 'finetune')
    cfg.model.backbone.init_cfg.checkpoint = checkpoint
    runner = Runner.from_cfg(cfg)
    initial = initial_params(runner)  # loads the MAE checkpoint, as runner.train() does first
    backbone = runner.model.backbone
    for i, layer in enumerate(mae_backbone.layers):
        assert torch.equal(backbone.blocks[i].attn.qkv.weight, layer.attn.qkv.weight)
        assert torch.equal(backbone.blocks[i].mlp.fc2.weight, layer.ffn.layers[1].weight)
    assert torch.equal(backbone.patch_embed.proj.weight,
                       mae_backbone.patch_embed.projection.weight)
    assert backbone.pos_embed.shape == (1, 8 * 6, 192)  # MAE's 8x8 grid resized to 8x6
    runner.train()
    # one epoch of fine-tuning is too short to show learning (the heatmap loss stays level, the
    # AP at 0); it must update the MAE weights and the new head, every parameter of them
    assert not unmoved(runner.model, initial)
