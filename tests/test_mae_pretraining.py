"""MAE pre-training on person crops through the runner, then fine-tuning from it via init_cfg."""
import math
import os.path as osp

import pytest
import torch
from mmengine.runner import Runner

from conftest import REPO, tiny_run_cfg

pytestmark = pytest.mark.slow  # runs through MMEngine's Runner or a subprocess

MAE_CONFIG = osp.join(REPO, 'configs/mae/mae_vit-tiny-p16_1xb64-100e_synthcoco-crops-128x128.py')
FINETUNE_CONFIG = osp.join(
    REPO, 'configs/vitpose/td-hm_vitpose-tiny-mae_1xb32-30e_synthcoco-128x96.py')


def test_mae_pretraining_initialises_vitpose_finetuning(synth_root, tmp_path):
    cfg = tiny_run_cfg(MAE_CONFIG, synth_root, tmp_path / 'mae')
    mae_runner = Runner.from_cfg(cfg)
    before = {k: v.clone() for k, v in mae_runner.model.backbone.state_dict().items()}
    mae_runner.train()
    logged = mae_runner.message_hub.get_scalar('train/loss').current()
    assert math.isfinite(logged)
    mae_backbone = mae_runner.model.backbone
    assert not torch.equal(before['layers.0.attn.qkv.weight'],
                           mae_backbone.layers[0].attn.qkv.weight)  # it trained
    checkpoint = str(tmp_path / 'mae' / 'epoch_1.pth')
    assert osp.isfile(checkpoint)

    cfg = tiny_run_cfg(FINETUNE_CONFIG, synth_root, tmp_path / 'finetune')
    cfg.model.backbone.init_cfg.checkpoint = checkpoint
    runner = Runner.from_cfg(cfg)
    runner.model.init_weights()  # what runner.train() does first
    backbone = runner.model.backbone
    for i, layer in enumerate(mae_backbone.layers):
        assert torch.equal(backbone.blocks[i].attn.qkv.weight, layer.attn.qkv.weight)
        assert torch.equal(backbone.blocks[i].mlp.fc2.weight, layer.ffn.layers[1].weight)
    assert torch.equal(backbone.patch_embed.proj.weight,
                       mae_backbone.patch_embed.projection.weight)
    assert backbone.pos_embed.shape == (1, 8 * 6, 192)  # MAE's 8x8 grid resized to 8x6
    runner.train()
    assert math.isfinite(runner.test()['coco/AP'])
