import subprocess
import sys
import textwrap

import pytest
import torch

from vitpose_ext.converters import convert_mmpretrain_vit
from vitpose_ext.models.backbones import ViTPoseBackbone
from vitpose_ext.models.backbones.vit import (ARCHS, ATTN_TYPES, block_attention,
                                              global_block_ids)

pytestmark = pytest.mark.numerics  # two paths: run in both regimes

TINY = dict(embed_dims=32, num_layers=4, num_heads=4, mlp_ratio=2.0)


def tiny(**kw):
    torch.manual_seed(0)
    m = ViTPoseBackbone(arch=TINY, img_size=(64, 48), **kw)
    m.init_weights()
    return m


def train_steps(model, steps=3, size=(64, 48)):
    """AdamW with weight decay over *all* parameters, as MMEngine builds it."""
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1)
    model.train()
    for _ in range(steps):
        opt.zero_grad()
        model(torch.randn(2, 3, *size))[-1].square().mean().backward()
        opt.step()


@pytest.mark.parametrize('attn_type', ATTN_TYPES)
def test_every_attention_type_trains_every_parameter(attn_type):
    m = tiny(attn_type=attn_type, window_size=(2, 2), pool_size=(2, 1))
    m.train()
    out = m(torch.randn(2, 3, 64, 48))
    assert len(out) == 1 and out[0].shape == (2, 32, 4, 3)
    # a random projection: a plain sum of LayerNorm outputs has zero gradient by construction
    (out[0] * torch.randn_like(out[0])).sum().backward()
    for name, p in m.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_presets_and_custom_arch():
    m = ViTPoseBackbone(arch='b')
    assert (m.embed_dims, m.num_layers, m.blocks[0].attn.num_heads) == (768, 12, 12)
    assert m.blocks[0].mlp.fc1.out_features == 3072
    assert m.grid_size == (16, 12)  # 256x192, patch 16, padding 2
    assert ARCHS['g'] == dict(embed_dims=1408, num_layers=40, num_heads=16, mlp_ratio=48 / 11)
    g = ViTPoseBackbone(arch=dict(ARCHS['giant'], num_layers=1), img_size=(64, 48))
    assert g.blocks[0].mlp.fc1.out_features == 6144  # 1408 * 48 / 11
    with pytest.raises(ValueError, match='ViTPoseBackbone'):
        ViTPoseBackbone(arch='tiny')
    with pytest.raises(ValueError, match='ViTPoseBackbone'):
        ViTPoseBackbone(arch=TINY, attn_type='sparse')


def test_block_cfgs_plug_in_per_block_modules():
    m = tiny(block_cfgs=[{}, dict(ffn_cfg=dict(mlp_ratio=1.0)), {},
                         dict(attn_cfg=dict(type='ViTWindowAttention', window_size=2))])
    assert m.blocks[1].mlp.fc1.out_features == 32 and m.blocks[0].mlp.fc1.out_features == 64
    assert type(m.blocks[3].attn).__name__ == 'ViTWindowAttention'
    with pytest.raises(ValueError, match='ViTPoseBackbone'):
        tiny(block_cfgs=[dict(attn=dict())] * 4)
    with pytest.raises(ValueError, match='ViTPoseBackbone'):
        tiny(block_cfgs=[{}])


def test_mixed_attention_global_blocks():
    m = tiny(attn_type='window', window_size=(2, 2), global_blocks=2)
    kinds = [type(b.attn).__name__ for b in m.blocks]
    assert kinds == ['ViTWindowAttention', 'ViTAttention', 'ViTWindowAttention', 'ViTAttention']
    m = tiny(attn_type='shifted_window', window_size=(2, 2))
    assert [b.attn.shift for b in m.blocks] == [(0, 0), (1, 1), (0, 0), (1, 1)]


def test_stride_and_input_size_flexibility():
    m = tiny(patch_stride=8, patch_padding=4)  # overlapping patches: finer feature map
    assert m.grid_size == (8, 6)
    assert m(torch.randn(1, 3, 64, 48))[0].shape == (1, 32, 8, 6)
    # another input size interpolates the position embedding on the fly
    assert m(torch.randn(1, 3, 96, 64))[0].shape == (1, 32, 12, 8)


def test_out_indices_and_extra_tokens():
    m = tiny(out_indices=(1, -1), num_extra_tokens=2)
    m.eval()
    x = torch.randn(2, 3, 64, 48)
    outs = m(x)
    assert [o.shape for o in outs] == [(2, 32, 4, 3)] * 2
    tokens, hw, n = m.forward_tokens(x)
    assert hw == (4, 3) and n == 2 and tokens[-1].shape == (2, 12 + 2, 32)
    # the tokens take part in attention: changing them changes the feature map
    ext = torch.randn(1, 1, 32)
    with torch.no_grad():
        a, b = m(x)[-1], m(x, extra_tokens=ext)[-1]
    assert a.shape == b.shape and not torch.allclose(a, b)


def test_forward_maps_and_tokens_gives_maps_and_tokens_of_one_pass():
    """Maps and extra tokens of every out index, equal to forward() with each out_type."""
    m = tiny(out_indices=(0, -1), num_extra_tokens=2)
    m.eval()
    x, ext = torch.randn(2, 3, 64, 48), torch.randn(1, 1, 32)
    with torch.no_grad():
        maps, tokens = m.forward_maps_and_tokens(x, extra_tokens=ext)
        assert [t.shape for t in maps] == [(2, 32, 4, 3)] * 2
        assert [t.shape for t in tokens] == [(2, 3, 32)] * 2
        for a, b in zip(maps, m(x, extra_tokens=ext)):
            torch.testing.assert_close(a, b)
        m.out_type = 'extra_tokens'
        for a, b in zip(tokens, m(x, extra_tokens=ext)):
            torch.testing.assert_close(a, b)
        assert tiny().forward_maps_and_tokens(x)[1][-1].shape == (2, 0, 32)


def test_per_block_attention_choice():
    def blocks(**kw):
        return [type(b.attn).__name__ + ('-shift' if any(getattr(b.attn, 'shift', ())) else '')
                for b in tiny(**kw).blocks]

    assert global_block_ids(2, 4) == [1, 3] and global_block_ids(0, 4) == []
    assert global_block_ids([0], 4) == [0]
    assert blocks(attn_type='shifted_window', window_size=(2, 3)) == [
        'ViTWindowAttention', 'ViTWindowAttention-shift'] * 2
    assert blocks(attn_type='window', window_size=(2, 3), global_blocks=2) == [
        'ViTWindowAttention', 'ViTAttention'] * 2
    cfg = block_attention(1, 'shifted_pooling_window', False, (2, 3), (1, 1), num_heads=2)
    assert cfg == dict(type='ViTWindowAttention', window_size=(2, 3), shift=True,
                       pool_size=(1, 1), num_heads=2)


def test_out_type_extra_tokens_returns_the_tokens_after_the_final_norm():
    m = tiny(num_extra_tokens=3, out_type='extra_tokens')
    m.eval()
    x = torch.randn(2, 3, 64, 48)
    (out,) = m(x)
    tokens, hw, _ = m.forward_tokens(x)
    assert out.shape == (2, 3, 32)
    torch.testing.assert_close(out, tokens[-1][:, 12:])
    torch.testing.assert_close(out.mean(-1), torch.zeros(2, 3), atol=1e-5, rtol=0)  # normed
    with pytest.raises(ValueError, match='ViTPoseBackbone'):
        tiny(out_type='extra_tokens')(x)
    with pytest.raises(ValueError, match='ViTPoseBackbone'):
        tiny(out_type='cls_token')


@pytest.mark.parametrize('kw,frozen,trained', [
    (dict(freeze_attn=True), ('attn.', 'norm1.'), ('mlp.', 'norm2.', 'patch_embed')),
    (dict(freeze_ffn=True), ('mlp.', 'norm2.'), ('attn.', 'norm1.', 'pos_embed')),
    (dict(frozen_stages=2), ('patch_embed', 'pos_embed', 'blocks.0.', 'blocks.1.'),
     ('blocks.2.', 'blocks.3.', 'norm.')),
])
def test_frozen_parts_stay_bit_identical(kw, frozen, trained):
    m = tiny(drop_path_rate=0.2, drop_rate=0.1, **kw)
    before = {k: v.clone() for k, v in m.state_dict().items()}
    train_steps(m)
    for name, value in m.state_dict().items():
        if any(f in name for f in frozen):
            assert torch.equal(value, before[name]), f'{name} changed'
        elif any(t in name for t in trained) and value.dtype.is_floating_point:
            assert not torch.equal(value, before[name]), f'{name} did not train'
    # frozen modules stay in eval mode (no dropout / drop path) while the model trains
    m.train()
    assert all(not mod.training for mod in m.frozen_modules())


def test_gradient_checkpointing_gives_the_same_gradients():
    a, b = tiny(), tiny(with_cp=True)
    b.load_state_dict(a.state_dict())
    x = torch.randn(2, 3, 64, 48)
    for m in (a, b):
        m.train()
        m(x)[0].square().mean().backward()
    for (name, pa), pb in zip(a.named_parameters(), b.parameters()):
        torch.testing.assert_close(pa.grad, pb.grad, msg=name)


def test_loading_folds_cls_position_and_resizes_grid():
    m = tiny()
    sd = m.state_dict()
    # a checkpoint with a class-token position (ViTPose release layout)
    cls = torch.randn(1, 1, 32)
    sd_cls = dict(sd, pos_embed=torch.cat([cls, sd['pos_embed']], 1))
    m2 = tiny()
    m2.load_state_dict(sd_cls)
    torch.testing.assert_close(m2.pos_embed, sd['pos_embed'] + cls)
    # a checkpoint for 128x96 inputs (8x6 grid) loads into a 64x48 model
    big = ViTPoseBackbone(arch=TINY, img_size=(128, 96))
    big.init_weights()
    m3 = tiny()
    m3.load_state_dict(big.state_dict())
    assert m3.pos_embed.shape == (1, 12, 32)


def test_parity_with_mmpretrain_vit_as_mmpose_configures_it():
    from mmpretrain.models import VisionTransformer  # imported lazily (see README)

    torch.manual_seed(0)
    stock = VisionTransformer(
        arch=dict(embed_dims=64, num_layers=3, num_heads=4, feedforward_channels=256),
        img_size=(64, 48), patch_size=16, qkv_bias=True, with_cls_token=False,
        out_type='featmap', patch_cfg=dict(padding=2))
    stock.init_weights()
    with torch.no_grad():  # make every parameter matter, norms included
        for p in stock.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    ours = ViTPoseBackbone(arch=dict(embed_dims=64, num_layers=3, num_heads=4, mlp_ratio=4),
                           img_size=(64, 48))
    ours.load_state_dict(convert_mmpretrain_vit(stock.state_dict(), prefix=''), strict=True)
    # the backbone also loads mmpretrain's layout as it is (what init_cfg Pretrained does with
    # an MAE checkpoint): the layout registered by vitpose_ext.converters
    direct = ViTPoseBackbone(arch=dict(embed_dims=64, num_layers=3, num_heads=4, mlp_ratio=4),
                             img_size=(64, 48))
    direct.load_state_dict(stock.state_dict(), strict=True)
    for (name, a), b in zip(ours.state_dict().items(), direct.state_dict().values()):
        assert torch.equal(a, b), name
    stock.eval(), ours.eval()
    for size in [(64, 48), (96, 80)]:  # the second interpolates the position embedding
        x = torch.randn(2, 3, *size)
        with torch.no_grad():
            torch.testing.assert_close(ours(x)[0], stock(x)[0], atol=1e-5, rtol=0)
    # in float64 the same maths gives the same numbers: a wrong LayerNorm eps (1e-5 instead of
    # mmpretrain's 1e-6) passes the fp32 tolerance above but not this
    stock.double(), ours.double()
    x = torch.randn(2, 3, 64, 48, dtype=torch.float64)
    with torch.no_grad():
        torch.testing.assert_close(ours(x)[0], stock(x)[0], atol=1e-10, rtol=0)


def test_weight_init_options():
    arch = dict(embed_dims=192, num_layers=2, num_heads=3, mlp_ratio=4.0)
    torch.manual_seed(0)
    normal = ViTPoseBackbone(arch=arch, img_size=(64, 48))
    normal.init_weights()
    torch.manual_seed(0)
    xavier = ViTPoseBackbone(arch=arch, img_size=(64, 48), weight_init='xavier')
    xavier.init_weights()
    fc1 = 'blocks.0.mlp.fc1.weight'
    n, x = normal.state_dict(), xavier.state_dict()
    assert n[fc1].std() == pytest.approx(0.02, rel=0.05)  # (truncated) normal 0.02
    assert x[fc1].std() == pytest.approx((2 / (192 + 768)) ** 0.5, rel=0.05)  # Xavier
    conv = 'patch_embed.proj.weight'
    assert x[conv].std() == pytest.approx((1 / (3 * 16 * 16)) ** 0.5, rel=0.05)  # fan-in
    for key in (fc1, 'blocks.0.mlp.fc1.bias', 'blocks.0.norm1.weight'):
        assert x[key].shape == n[key].shape
    assert not x['blocks.0.mlp.fc1.bias'].any() and not n['blocks.0.mlp.fc1.bias'].any()
    with pytest.raises(ValueError, match='ViTPoseBackbone.*weight_init'):
        ViTPoseBackbone(arch=arch, weight_init='kaiming')


def test_mmpretrain_init_gives_the_stock_models_weights():
    """weight_init='mmpretrain': with the same seed, the whole pose model of the stock baseline
    config (mmpretrain's VisionTransformer + HeatmapHead) and ours get the same weights."""
    from mmengine.config import Config
    from mmpose.registry import MODELS
    from mmpose.utils import register_all_modules

    from helpers.common import REPO
    register_all_modules()
    stock_cfg = Config.fromfile(
        f'{REPO}/configs/baseline/td-hm_mmpretrain-vit-tiny_1xb32-30e_synthcoco-128x96.py').model
    ours_cfg = Config.fromfile(
        f'{REPO}/configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py').model
    ours_cfg.backbone.weight_init = 'mmpretrain'
    models = []
    for cfg in (stock_cfg, ours_cfg):
        torch.manual_seed(3)
        models.append(MODELS.build(cfg))
        models[-1].init_weights()
    stock, ours = (m.state_dict() for m in models)
    converted = convert_mmpretrain_vit(stock, 'backbone.')
    assert converted.keys() == ours.keys()
    for key, value in ours.items():
        assert torch.equal(value, converted[key]), key
    torch.manual_seed(3)
    xavier = ViTPoseBackbone(arch=dict(embed_dims=192, num_layers=4, num_heads=3),
                             img_size=(128, 96), patch_padding=2, weight_init='xavier')
    xavier.init_weights()
    assert not torch.equal(xavier.blocks[0].mlp.fc1.weight, ours['backbone.blocks.0.mlp.fc1.weight'])


@pytest.mark.parametrize('typo', ['mlp_ration', 'feedforward_channels'])
def test_unknown_arch_keys_are_named(typo):
    arch = dict(embed_dims=32, num_layers=2, num_heads=2)
    arch[typo] = 4
    with pytest.raises(ValueError, match=f"ViTPoseBackbone: unknown arch keys \\['{typo}'\\]"):
        ViTPoseBackbone(arch=arch, img_size=(64, 64))


def test_a_malformed_pos_embed_is_named():
    m = ViTPoseBackbone(arch=dict(embed_dims=32, num_layers=1, num_heads=2), img_size=(64, 64))
    state = m.state_dict()
    state['pos_embed'] = state['pos_embed'][0]  # (N, C): the batch dimension lost
    with pytest.raises(ValueError, match=r'pos_embed has shape \(16, 32\); expected '
                       r'\(1, tokens, 32\)'):
        m.load_state_dict(state)


@pytest.mark.slow  # a fresh Python process (imports torch, MMPose and the package: ~11 s)
def test_importing_the_package_alone_lets_the_backbone_load_mmpretrain_keys():
    """What a config with custom_imports=['vitpose_ext'] gets: no converter imported by hand."""
    code = textwrap.dedent("""
        import torch
        from vitpose_ext.models.backbones import ViTPoseBackbone
        arch = dict(embed_dims=32, num_layers=1, num_heads=2, mlp_ratio=2)
        model = ViTPoseBackbone(arch=arch, img_size=(32, 32))
        keys = {'layers.0.ln1.weight': model.blocks[0].norm1.weight.detach() + 1}
        model.load_state_dict(keys, strict=False)
        assert torch.equal(model.blocks[0].norm1.weight, keys['layers.0.ln1.weight'])
    """)
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
