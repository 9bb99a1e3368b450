"""Float8Linear: nn.Linear within FP8 (e4m3) rounding, rows independent of each other (the
padding to 16 rows changes nothing), sizes checked; linear_to_fp8 on a whole backbone."""
import pytest
import torch
from torch import nn

from vitpose_ext.models.backbones import ViTPoseBackbone
from vitpose_ext.models.layers.fp8_linear import FP8, Float8Linear, linear_to_fp8


def relative(a, b):
    return ((a.float() - b.float()).norm() / b.float().norm()).item()


def test_it_follows_the_linear_layer_to_fp8_rounding():
    torch.manual_seed(0)
    linear = nn.Linear(64, 96)
    x = torch.randn(3, 32, 64)
    out = Float8Linear(linear)(x)
    assert out.dtype == torch.bfloat16 and out.shape == (3, 32, 96)
    # e4m3 keeps 3 mantissa bits: ~3.6% relative seen on random data (per-row / per-channel
    # scales); a wrong scale or a transposed weight gives ~1
    assert 0 < relative(out, linear(x)) < 0.06


def test_rows_do_not_depend_on_each_other():
    torch.manual_seed(0)
    layer = Float8Linear(nn.Linear(32, 16))
    x = torch.randn(16, 32)
    x[3] *= 100  # one large row: with one scale per tensor it would flush the others
    full, part = layer(x), layer(x[:7])  # 7 rows: padded to 16 inside
    torch.testing.assert_close(part, full[:7], rtol=0, atol=0)
    assert relative(full[:3], nn.functional.linear(x[:3], *_float(layer))) < 0.06


def _float(layer):
    """The quantised weight and bias back in float32."""
    return layer.weight.float() * layer.weight_scale.t(), layer.bias.float()


def test_sizes_that_are_not_multiples_of_16_are_refused():
    with pytest.raises(ValueError, match='Float8Linear: .*multiples of 16, got 24 -> 16'):
        Float8Linear(nn.Linear(24, 16))


def test_a_backbone_becomes_fp8_in_its_four_linear_layers_per_block():
    torch.manual_seed(0)
    backbone = ViTPoseBackbone(arch=dict(embed_dims=64, num_layers=2, num_heads=4, mlp_ratio=2),
                               img_size=(64, 48)).eval()
    x = torch.randn(2, 3, 64, 48)
    with torch.no_grad():
        expected = backbone.to(torch.bfloat16)(x.to(torch.bfloat16))[-1]
        assert linear_to_fp8(backbone) == 8  # qkv, proj, fc1, fc2 of 2 blocks
        out = backbone(x.to(torch.bfloat16))[-1]
    assert not [m for m in backbone.modules() if type(m) is nn.Linear]
    assert all(m.weight.dtype == FP8 for m in backbone.modules() if isinstance(m, Float8Linear))
    assert 0 < relative(out, expected) < 0.1  # ~4% per layer; through 2 blocks and a norm


@pytest.mark.cuda
def test_on_cuda_it_follows_the_cpu():
    """torch._scaled_mm's CUDA kernel (FP8 tensor cores, SM 8.9 and newer) on the same layer:
    its layout and scale rules, and the same quantisation."""
    if torch.cuda.get_device_capability() < (8, 9):
        pytest.skip('FP8 matrix products need compute capability 8.9 or newer')
    torch.manual_seed(0)
    layer = Float8Linear(nn.Linear(64, 96))
    x = torch.randn(37, 64)  # rows padded to 48 inside
    cpu, gpu = layer(x), layer.cuda()(x.cuda()).cpu()
    assert relative(gpu, cpu) < 1e-2  # float32 sums in another order, written in bf16
