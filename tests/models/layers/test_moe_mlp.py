import pytest
import torch
import torch.nn.functional as F

from vitpose_ext.models.backbones import ViTPoseBackbone
from vitpose_ext.models.layers import TokenContext, ViTMoEMlp
from vitpose_ext.models.layers.moe_mlp import ROUTINGS

pytestmark = pytest.mark.numerics  # two paths: run in both regimes

DIM, P, T = 16, 4, 3


def moe(routing='gather_weights'):
    torch.manual_seed(0)
    m = ViTMoEMlp(DIM, num_experts=T, part_features=P, mlp_ratio=2.0, routing=routing)
    with torch.no_grad():
        for p in m.parameters():
            p.normal_()
    return m


def reference(m, x, idx):
    """The factorised FFN sample by sample: shared fc2 output, then the sample's expert."""
    outs = []
    for b in range(x.shape[0]):
        h = F.gelu(F.linear(x[b], m.fc1.weight, m.fc1.bias))
        e = m.experts[int(idx[b])]
        outs.append(torch.cat([F.linear(h, m.fc2.weight, m.fc2.bias),
                               F.linear(h, e.weight, e.bias)], -1))
    return torch.stack(outs)


@pytest.mark.parametrize('routing', ROUTINGS)
def test_each_sample_uses_its_own_expert(routing):
    m, x = moe(routing), torch.randn(5, 7, DIM)
    idx = torch.tensor([2, 0, 1, 0, 2])
    out = m(x, TokenContext(dataset_idx=idx))
    assert out.shape == (5, 7, DIM)
    torch.testing.assert_close(out, reference(m, x, idx))
    # the shared channels come first and do not depend on the expert
    other = m(x, TokenContext(dataset_idx=(idx + 1) % T))
    torch.testing.assert_close(out[..., :DIM - P], other[..., :DIM - P])
    assert not torch.allclose(out[..., DIM - P:], other[..., DIM - P:])
    # one int for the whole batch
    torch.testing.assert_close(m(x, TokenContext(dataset_idx=1)), reference(m, x, [1] * 5))


def test_routings_agree_in_outputs_and_gradients():
    x, idx = torch.randn(4, 6, DIM), torch.tensor([1, 1, 0, 1])
    grads = []
    for routing in ROUTINGS:
        m = moe(routing)
        out = m(x, TokenContext(dataset_idx=idx))
        (out * torch.linspace(-1, 1, DIM)).sum().backward()
        grads.append((out.detach(), {n: p.grad for n, p in m.named_parameters()}))
    (out_a, g_a), (out_b, g_b) = grads
    torch.testing.assert_close(out_a, out_b)
    for name in g_a:
        torch.testing.assert_close(g_a[name], g_b[name], msg=name)
    # experts of data sets in the batch learn, the absent one (2) gets exactly zero gradient
    assert g_a['experts.0.weight'].abs().sum() > 0 and g_a['experts.1.weight'].abs().sum() > 0
    assert torch.count_nonzero(g_a['experts.2.weight']) == 0


def test_missing_or_malformed_index_is_a_clear_error():
    m, x = moe(), torch.randn(2, 3, DIM)
    with pytest.raises(ValueError, match='MoEMlp: forward needs dataset_idx'):
        m(x)
    with pytest.raises(ValueError, match='shape'):
        m(x, TokenContext(dataset_idx=torch.tensor([0, 1, 1])))
    with pytest.raises(ValueError, match='integers'):
        m(x, TokenContext(dataset_idx=torch.tensor([0.0, 1.0])))


@pytest.mark.parametrize('kwargs', [dict(num_experts=0), dict(part_features=DIM),
                                    dict(part_features=0), dict(routing='loop')])
def test_invalid_arguments(kwargs):
    args = dict(dict(dim=DIM, num_experts=T, part_features=P), **kwargs)
    with pytest.raises(ValueError, match='ViTMoEMlp'):
        ViTMoEMlp(**args)


def test_backbone_hands_the_index_to_every_ffn():
    torch.manual_seed(0)
    bb = ViTPoseBackbone(arch=dict(embed_dims=DIM, num_layers=3, num_heads=2), img_size=(32, 32),
                         ffn_cfg=dict(type='ViTMoEMlp', num_experts=T, part_features=P))
    bb.init_weights()
    assert all(isinstance(blk.mlp, ViTMoEMlp) for blk in bb.blocks)
    assert bb.blocks[0].mlp.experts[0].out_features == P
    x = torch.randn(3, 3, 32, 32)
    seen = []
    for blk in bb.blocks:
        blk.mlp.register_forward_hook(lambda mod, args, out: seen.append(args[1].dataset_idx))
    idx = torch.tensor([0, 2, 1])
    mixed = bb(x, dataset_idx=idx)[0]
    assert len(seen) == 3 and all(s is idx for s in seen)
    # each sample's features depend on its own index only
    for b in range(3):
        alone = bb(x[b:b + 1], dataset_idx=idx[b:b + 1])[0]
        torch.testing.assert_close(mixed[b:b + 1], alone, atol=1e-5, rtol=1e-5)
    assert not torch.allclose(mixed[:1], bb(x[:1], dataset_idx=torch.tensor([1]))[0])
    with pytest.raises(ValueError, match='dataset_idx'):
        bb(x)


@pytest.mark.cuda
@pytest.mark.parametrize('routing', ROUTINGS)
def test_cuda_routing_matches_the_reference_in_bf16(routing):
    m, x = moe(routing), torch.randn(6, 48, DIM)
    idx = torch.tensor([2, 0, 1, 0, 2, 1])
    expected = reference(m, x, idx)
    m = m.cuda()
    with torch.autocast('cuda', dtype=torch.bfloat16):
        out = m(x.cuda(), TokenContext(dataset_idx=idx.cuda()))
    assert out.dtype == torch.bfloat16
    rel = (out.float().cpu() - expected).norm() / expected.norm()
    assert rel < 1e-2
    out.float().sum().backward()
    for name, p in m.named_parameters():  # every expert is in the batch: all parameters learn
        assert p.grad is not None and torch.isfinite(p.grad).all() and p.grad.abs().sum() > 0, name
