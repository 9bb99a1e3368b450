"""MMEngine's FLOP counter counts fused attention (SDPA) as it counts the explicit path."""
import pytest
import torch
from mmengine.analysis import FlopAnalyzer

import vitpose_ext  # noqa: F401  (registers the handle)
from vitpose_ext.models.layers import TokenContext, ViTAttention, ViTWindowAttention


def flops(module, x, ctx):
    class Call(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.module = module

        def forward(self, x):
            return self.module(x, ctx)

    analyzer = FlopAnalyzer(Call(), (x, ))
    analyzer.unsupported_ops_warnings(False)
    return analyzer.total()


@pytest.mark.parametrize('cls,kw', [(ViTAttention, {}), (ViTWindowAttention, dict(window_size=(2, 3))),
                                    (ViTWindowAttention, dict(window_size=(2, 3), shift=True,
                                                           pool_size=(2, 2)))])
def test_sdpa_counts_what_the_explicit_path_counts(cls, kw):
    x = torch.randn(2, 4 * 6, 32)
    fused, explicit = cls(32, 4, use_sdpa=True, **kw), cls(32, 4, use_sdpa=False, **kw)
    ctx = TokenContext((4, 6))
    n_fused, n_explicit = flops(fused, x, ctx), flops(explicit, x, ctx)
    assert n_fused == n_explicit
    projections = 2 * 24 * (32 * 96 + 32 * 32)  # qkv and output projections
    assert n_fused > projections  # the attention itself is counted


def test_full_attention_costs_more_than_windows_on_a_large_grid():
    x = torch.randn(1, 16 * 12, 32)
    full = flops(ViTAttention(32, 4), x, TokenContext((16, 12)))
    window = flops(ViTWindowAttention(32, 4, window_size=(4, 3)), x, TokenContext((16, 12)))
    # attention multiply-adds: N^2 (d + d) for full, N * 12 (d + d) for 4x3 windows
    assert full - window == 192 * (192 - 12) * 2 * 32
