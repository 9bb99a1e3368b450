import re

import pytest
import torch
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

import vitpose_ext  # noqa: F401
from vitpose_ext.converters import (CONVERTERS, convert_hf_vitpose, convert_mmpretrain_vit,
                                    convert_official_vitpose)
from vitpose_ext.utils.checkpoint import describe_load

pytestmark = pytest.mark.numerics  # two paths: run in both regimes


def estimator(simple=False):
    """A tiny TopdownPoseEstimator: ViTPoseBackbone + classic (or simple) heatmap head."""
    register_all_modules()
    head = dict(type='HeatmapHead', in_channels=32, out_channels=17,
                deconv_out_channels=() if simple else (16, 16),
                deconv_kernel_sizes=() if simple else (4, 4),
                final_layer=dict(kernel_size=3, padding=1) if simple else dict(kernel_size=1),
                loss=dict(type='KeypointMSELoss'))
    torch.manual_seed(0)
    model = MODELS.build(dict(
        type='TopdownPoseEstimator',
        backbone=dict(type='ViTPoseBackbone', img_size=(64, 48),
                      arch=dict(embed_dims=32, num_layers=2, num_heads=4)),
        neck=dict(type='FeatureMapProcessor', scale_factor=4.0, apply_relu=True)
        if simple else None,
        head=head))
    model.init_weights()
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    return model.eval()


def heatmaps(model, x):
    with torch.no_grad():
        return model._forward(x)


def to_official(sd, cls):
    """Our layout -> the ViTPose release's (mmpose 0.x) layout, class position included."""
    out = {}
    for k, v in sd.items():
        k = k.replace('backbone.norm.', 'backbone.last_norm.').replace('head.', 'keypoint_head.')
        out[k] = v
    out['backbone.pos_embed'] = torch.cat([cls, sd['backbone.pos_embed'] - cls], 1)
    out['backbone.cls_token'] = torch.zeros(1, 1, 32)
    return {'state_dict': out, 'meta': {}}


def to_hf(sd, cls, simple):
    """Our layout -> transformers' VitPoseForPoseEstimation layout."""
    out = {}
    for k, v in sd.items():
        m = re.match(r'backbone\.blocks\.(\d+)\.attn\.qkv\.(weight|bias)', k)
        if m:
            for part, t in zip(('query', 'key', 'value'), v.chunk(3)):
                out[f'backbone.encoder.layer.{m[1]}.attention.attention.{part}.{m[2]}'] = t
            continue
        for a, b in [('backbone.patch_embed.proj', 'backbone.embeddings.patch_embeddings.projection'),
                     ('backbone.blocks.', 'backbone.encoder.layer.'), ('.norm1.', '.layernorm_before.'),
                     ('.norm2.', '.layernorm_after.'), ('.attn.proj.', '.attention.output.dense.'),
                     ('backbone.norm.', 'backbone.layernorm.'),
                     ('head.deconv_layers.0.', 'head.deconv1.'), ('head.deconv_layers.1.', 'head.batchnorm1.'),
                     ('head.deconv_layers.3.', 'head.deconv2.'), ('head.deconv_layers.4.', 'head.batchnorm2.'),
                     ('head.final_layer.', 'head.conv.')]:
            k = k.replace(a, b)
        out[k] = v
    out.pop('backbone.pos_embed')
    out['backbone.embeddings.position_embeddings'] = torch.cat(
        [cls, sd['backbone.pos_embed'] - cls], 1)
    return out


@pytest.mark.parametrize('simple', [False, True])
@pytest.mark.parametrize('fmt', ['official', 'hf'])
def test_round_trip_gives_the_same_model(fmt, simple):
    src = estimator(simple)
    sd = src.state_dict()
    cls = torch.randn(1, 1, 32)
    foreign = to_official(sd, cls) if fmt == 'official' else to_hf(sd, cls, simple)
    converted = CONVERTERS[fmt](foreign)
    dst = estimator(simple)
    with torch.no_grad():
        for p in dst.parameters():
            p.zero_()
    missing, unexpected = dst.load_state_dict(converted, strict=False)
    assert (missing, unexpected) == ([], []), describe_load(missing, unexpected)
    x = torch.randn(2, 3, 64, 48)
    torch.testing.assert_close(heatmaps(dst, x), heatmaps(src, x), atol=1e-5, rtol=1e-5)


def test_mae_checkpoint_from_mmpretrain():
    from mmpretrain.models import MAEViT  # imported lazily (see README)

    mae = MAEViT(arch=dict(embed_dims=32, num_layers=2, num_heads=4, feedforward_channels=128),
                 img_size=64, patch_size=16)
    sd = {f'backbone.{k}': v for k, v in mae.state_dict().items()}
    sd['neck.decoder_pos_embed'] = torch.zeros(1, 17, 16)  # MAE decoder: dropped
    converted = convert_mmpretrain_vit({'state_dict': sd})
    backbone = {k[len('backbone.'):]: v for k, v in converted.items()}
    assert not any(k.startswith('neck') for k in converted)
    assert backbone['pos_embed'].shape == (1, 16, 32)  # 4x4 grid, class position dropped
    model = MODELS.build(dict(type='ViTPoseBackbone', img_size=(64, 48), patch_padding=0,
                              arch=dict(embed_dims=32, num_layers=2, num_heads=4)))
    missing, unexpected = model.load_state_dict(backbone, strict=False)
    assert (missing, unexpected) == ([], [])
    assert model.pos_embed.shape == (1, 12, 32)  # interpolated from 4x4 to 4x3


def test_official_converter_maps_every_key():
    sd = {'backbone.blocks.0.attn.qkv.weight': 1, 'backbone.last_norm.bias': 2,
          'keypoint_head.final_layer.weight': 3, 'backbone.pos_embed': torch.zeros(1, 3, 2)}
    out = convert_official_vitpose(sd)
    assert set(out) == {'backbone.blocks.0.attn.qkv.weight', 'backbone.norm.bias',
                        'head.final_layer.weight', 'backbone.pos_embed'}
    assert out['backbone.pos_embed'].shape == (1, 2, 2)


def test_describe_load_names_keys():
    text = describe_load(['backbone.norm.weight'], ['backbone.cls_token'])
    assert '1 missing' in text and 'backbone.norm.weight' in text and 'cls_token' in text
    assert describe_load([], []) == 'all keys matched'
    assert convert_hf_vitpose({}) == {}


def test_backbone_init_cfg_reads_an_mae_checkpoint(tmp_path):
    """``init_cfg=dict(type='Pretrained', prefix='backbone.')`` on an mmpretrain MAE checkpoint:
    keys converted on load, class position dropped, position grid interpolated."""
    from mmpretrain.models import MAEViT

    torch.manual_seed(0)
    mae = MAEViT(arch=dict(embed_dims=32, num_layers=2, num_heads=4, feedforward_channels=128),
                 img_size=64, patch_size=16)
    mae.init_weights()
    sd = {f'backbone.{k}': v for k, v in mae.state_dict().items()}
    sd['neck.decoder_pos_embed'] = torch.zeros(1, 17, 16)
    path = str(tmp_path / 'mae.pth')
    torch.save({'state_dict': sd, 'meta': {}}, path)

    register_all_modules()
    model = MODELS.build(dict(
        type='ViTPoseBackbone', img_size=(64, 48), patch_padding=0,
        arch=dict(embed_dims=32, num_layers=2, num_heads=4),
        init_cfg=dict(type='Pretrained', checkpoint=path, prefix='backbone.')))
    model.init_weights()
    assert torch.equal(model.blocks[1].attn.qkv.weight, mae.layers[1].attn.qkv.weight)
    assert torch.equal(model.blocks[0].mlp.fc1.weight, mae.layers[0].ffn.layers[0][0].weight)
    assert torch.equal(model.norm.bias, mae.ln1.bias)
    grid = mae.pos_embed[:, 1:].reshape(1, 4, 4, 32).permute(0, 3, 1, 2)
    expected = torch.nn.functional.interpolate(grid, size=(4, 3), mode='bicubic',
                                               align_corners=False)
    torch.testing.assert_close(model.pos_embed, expected.flatten(2).transpose(1, 2))
