import pytest
import torch
from mmengine.optim import build_optim_wrapper
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

import vitpose_ext  # noqa: F401

RATE, LR, WD, L = 0.5, 1.0, 0.1, 3


def model(backbone):
    register_all_modules()
    return MODELS.build(dict(type='TopdownPoseEstimator', backbone=backbone,
                             head=dict(type='HeatmapHead', in_channels=16, out_channels=2,
                                       deconv_out_channels=(), deconv_kernel_sizes=(),
                                       loss=dict(type='KeypointMSELoss'))))


OURS = dict(type='ViTPoseBackbone', img_size=(32, 32), num_extra_tokens=1,
            arch=dict(embed_dims=16, num_layers=L, num_heads=2))
STOCK = dict(type='mmpretrain.VisionTransformer', img_size=(32, 32), patch_size=16,
             arch=dict(embed_dims=16, num_layers=L, num_heads=2, feedforward_channels=32),
             with_cls_token=False, out_type='featmap')


def groups_by_name(m, custom_keys=None):
    cfg = dict(optimizer=dict(type='AdamW', lr=LR, weight_decay=WD),
               constructor='ViTLayerDecayOptimWrapperConstructor',
               paramwise_cfg=dict(layer_decay_rate=RATE, custom_keys=custom_keys or {}))
    wrapper = build_optim_wrapper(m, cfg)
    out = {}
    for group in wrapper.optimizer.param_groups:
        for name in group['param_names']:
            out[name] = (group['lr'], group['weight_decay'])
    assert set(out) == {n for n, _ in m.named_parameters()}  # every parameter, once
    return out


@pytest.mark.parametrize('backbone,block', [(OURS, 'blocks'), (STOCK, 'layers')])
def test_param_groups(backbone, block):
    g = groups_by_name(model(backbone))
    # embeddings: depth 0 -> RATE ** (L + 1); the position embedding has no weight decay
    assert g['backbone.patch_embed.' + ('proj' if block == 'blocks' else 'projection')
             + '.weight'] == (pytest.approx(RATE**(L + 1)), WD)
    assert g['backbone.pos_embed'] == (pytest.approx(RATE**(L + 1)), 0.0)
    for i in range(L):  # block i: depth i + 1
        scale = RATE**(L - i)
        attn_w = f'backbone.{block}.{i}.attn.qkv.weight'
        assert g[attn_w] == (pytest.approx(scale), WD)
        assert g[f'backbone.{block}.{i}.attn.qkv.bias'] == (pytest.approx(scale), 0.0)
    norm = 'backbone.norm.weight' if block == 'blocks' else 'backbone.ln1.weight'
    assert g[norm] == (pytest.approx(1.0), 0.0)  # final norm: depth L + 1, 1-D
    assert g['head.final_layer.weight'] == (LR, WD)  # outside the backbone: scale 1
    assert g['head.final_layer.bias'] == (LR, 0.0)


def test_custom_keys_multiply_on_top():
    g = groups_by_name(model(OURS), custom_keys={'head': dict(lr_mult=0.1, decay_mult=2.0),
                                                 'blocks.2.mlp': dict(lr_mult=3.0)})
    assert g['head.final_layer.weight'] == (pytest.approx(0.1), pytest.approx(0.2))
    assert g['backbone.blocks.2.mlp.fc1.weight'] == (pytest.approx(3.0 * RATE), WD)
    assert g['backbone.extra_tokens'] == (pytest.approx(RATE**(L + 1)), 0.0)


def test_errors_name_the_class():
    with pytest.raises(ValueError, match='ViTLayerDecayOptimWrapperConstructor'):
        build_optim_wrapper(
            model(OURS), dict(optimizer=dict(type='AdamW', lr=LR),
                              constructor='ViTLayerDecayOptimWrapperConstructor',
                              paramwise_cfg=dict(layer_decay_rate=1.5)))


def test_a_training_step_uses_the_scaled_lrs():
    m = model(OURS)
    cfg = dict(optimizer=dict(type='SGD', lr=LR), constructor='ViTLayerDecayOptimWrapperConstructor',
               paramwise_cfg=dict(layer_decay_rate=RATE))
    wrapper = build_optim_wrapper(m, cfg)
    p0 = m.backbone.blocks[0].mlp.fc1.weight
    p2 = m.backbone.blocks[2].mlp.fc1.weight
    before = p0.detach().clone(), p2.detach().clone()
    for p in (p0, p2):
        p.grad = torch.ones_like(p)
    wrapper.optimizer.step()
    assert torch.allclose(before[0] - p0, torch.full_like(p0, RATE**3))
    assert torch.allclose(before[1] - p2, torch.full_like(p2, RATE**1))


def test_no_weight_decay_comes_from_the_backbone():
    """ViTPoseBackbone.no_weight_decay() decides (extra tokens included); a parameter whose
    name only contains 'pos_embed' elsewhere in the model keeps its decay."""
    m = model(OURS)
    m.head.pos_embed_scale = torch.nn.Parameter(torch.ones(2, 2))
    g = groups_by_name(m)
    assert m.backbone.no_weight_decay() == {'pos_embed', 'extra_tokens'}
    assert g['backbone.extra_tokens'][1] == 0.0 and g['backbone.pos_embed'][1] == 0.0
    assert g['head.pos_embed_scale'][1] == WD
