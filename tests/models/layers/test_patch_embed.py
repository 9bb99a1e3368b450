"""resize_pos_embed: a row-major (1, H*W, C) token grid interpolated per channel (identity when
the grids agree); infer_grid: the factorisation of a token count nearest an aspect ratio."""
import pytest
import torch
import torch.nn.functional as F

from vitpose_ext.models.layers.patch_embed import infer_grid, resize_pos_embed


def test_same_grid_returns_the_embedding_itself():
    pos = torch.randn(1, 12, 4)
    assert resize_pos_embed(pos, (3, 4), [3, 4]) is pos


@pytest.mark.parametrize('src, dst', [((1, 2), (1, 4)), ((2, 1), (4, 1))])
def test_bilinear_on_a_tiny_grid(src, dst):
    # half-pixel centres (align_corners=False): the 4 outputs sample the 2 inputs at
    # -0.25, 0.25, 0.75, 1.25, clamped at the borders
    pos = torch.tensor([0., 4.]).view(1, 2, 1)
    out = resize_pos_embed(pos, src, dst, mode='bilinear')
    torch.testing.assert_close(out, torch.tensor([0., 1., 3., 4.]).view(1, 4, 1))


def test_bicubic_matches_interpolating_the_grid_by_hand():
    torch.manual_seed(0)
    grid = torch.randn(3, 4, 5)  # (H, W, C)
    pos = grid.reshape(1, 12, 5)  # tokens in row-major order
    out = resize_pos_embed(pos, (3, 4), (5, 7))
    expected = F.interpolate(grid.permute(2, 0, 1)[None], size=(5, 7), mode='bicubic',
                             align_corners=False)[0].permute(1, 2, 0).reshape(1, 35, 5)
    torch.testing.assert_close(out, expected)


def test_channels_do_not_mix_and_the_dtype_stays():
    base = torch.randn(1, 6, 1)
    pos = torch.cat([base, 10 * base, torch.ones_like(base)], dim=-1).half()
    out = resize_pos_embed(pos, (2, 3), (4, 5))
    assert out.shape == (1, 20, 3) and out.dtype == torch.float16
    torch.testing.assert_close(out[..., 1], 10 * out[..., 0], rtol=1e-2, atol=1e-2)
    torch.testing.assert_close(out[..., 2], torch.ones(1, 20, dtype=torch.float16))


def test_a_token_count_off_the_grid_is_refused():
    with pytest.raises(ValueError, match='resize_pos_embed: 12 tokens are not a 3x3 grid'):
        resize_pos_embed(torch.zeros(1, 12, 4), (3, 3), (6, 6))


@pytest.mark.parametrize('num, like, grid', [
    (48, (8, 6), (8, 6)),  # the exact shape when it factorises
    (64, (16, 12), (8, 8)),  # MAE's square grid for a 4:3 target: 8x8 beats 16x4 and 4x16
    (12, (1, 3), (2, 6)),
    (7, (1, 4), (1, 7)),  # a prime: one row or one column, the row for a wide target
    (7, (4, 1), (7, 1)),
    (1, (16, 12), (1, 1)),
])
def test_infer_grid(num, like, grid):
    assert infer_grid(num, like) == grid


@pytest.mark.parametrize('num', [0, -4])
def test_infer_grid_needs_tokens(num):
    with pytest.raises(ValueError, match=f'infer_grid: no grid of {num} tokens'):
        infer_grid(num, (8, 6))
