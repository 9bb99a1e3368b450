import math

import pytest
import torch

from vitpose_ext.models.layers import TokenContext, ViTAttention, ViTWindowAttention

pytestmark = pytest.mark.numerics  # two paths: run in both regimes


def reference(attn, x, hw, num_extra, window, shift, pool=None):
    """Brute force from the definition: a patch query sees the patch keys in its window of the
    cyclically shifted (padded) grid that the shift did not wrap around, never padding, plus the
    pooled and the extra tokens; an extra query sees every token."""
    B, N, C = x.shape
    H, W = hw
    wh, ww = window
    sh, sw = shift
    Hp, Wp = math.ceil(H / wh) * wh, math.ceil(W / ww) * ww
    q, k, v = attn.split_qkv(x)
    keys, values = [k[:, :, :H * W]], [v[:, :, :H * W]]
    if pool:
        ph, pw = pool
        for t, dst in ((k, keys), (v, values)):
            # (ph, pw) cells, each the mean of an (H / ph, W / pw) block
            g = t[:, :, :H * W].reshape(B, -1, ph, H // ph, pw, W // pw, t.shape[-1])
            dst.append(g.mean((3, 5)).reshape(B, t.shape[1], ph * pw, t.shape[-1]))
    keys.append(k[:, :, H * W:])
    values.append(v[:, :, H * W:])
    K, V = torch.cat(keys, 2), torch.cat(values, 2)
    allowed = torch.zeros(N, K.shape[2], dtype=torch.bool)
    for a in range(H * W):
        ia, ja = divmod(a, W)
        sa = ((ia - sh) % Hp, (ja - sw) % Wp)
        for b in range(H * W):
            ib, jb = divmod(b, W)
            sb = ((ib - sh) % Hp, (jb - sw) % Wp)
            same_window = sa[0] // wh == sb[0] // wh and sa[1] // ww == sb[1] // ww
            no_wrap = sa[0] - sb[0] == ia - ib and sa[1] - sb[1] == ja - jb
            allowed[a, b] = same_window and no_wrap
        allowed[a, H * W:] = True  # pooled and extra tokens
    out = torch.zeros_like(q)
    for a in range(H * W):
        s = (q[:, :, a:a + 1] * attn.scale) @ K[:, :, allowed[a]].transpose(-2, -1)
        out[:, :, a] = (s.softmax(-1) @ V[:, :, allowed[a]])[:, :, 0]
    if num_extra:
        s = (q[:, :, H * W:] * attn.scale) @ k.transpose(-2, -1)
        out[:, :, H * W:] = s.softmax(-1) @ v
    return attn.merge_heads(out)


CASES = [
    # grid, window, shift, pool, extra
    ((4, 6), (2, 3), False, None, 0),       # divides
    ((5, 7), (2, 3), False, None, 0),       # padding
    ((5, 7), (2, 3), True, None, 0),        # shifted + padding
    ((6, 6), (3, 3), (1, 2), None, 2),      # custom shift + extra tokens
    ((4, 6), (2, 2), True, (2, 3), 1),      # shifted pooling window + extra token
    ((9, 4), (4, 8), True, None, 0),        # window wider than the grid, shifted in height
    ((9, 6), (4, 3), (2, 1), None, 0),      # three window lengths on an axis: 2, 4, 3
]


@pytest.mark.parametrize('use_sdpa', [True, False])
@pytest.mark.parametrize('hw,window,shift,pool,extra', CASES)
def test_matches_brute_force_definition(hw, window, shift, pool, extra, use_sdpa):
    torch.manual_seed(0)
    attn = ViTWindowAttention(16, 2, window_size=window, shift=shift, pool_size=pool,
                           use_sdpa=use_sdpa).eval()
    x = torch.randn(2, hw[0] * hw[1] + extra, 16)
    sh = attn.shift
    expected = reference(attn, x, hw, extra, window, sh, pool)
    torch.testing.assert_close(attn(x, TokenContext(hw, extra)), expected, atol=1e-5, rtol=1e-5)


def test_one_window_covering_the_grid_is_full_attention():
    torch.manual_seed(0)
    full = ViTAttention(16, 4).eval()
    win = ViTWindowAttention(16, 4, window_size=(8, 8)).eval()  # clipped to the 3 x 5 grid
    win.load_state_dict(full.state_dict())
    x = torch.randn(2, 3 * 5 + 1, 16)
    ctx = TokenContext((3, 5), 1)
    torch.testing.assert_close(win(x, ctx), full(x, ctx), atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize('attn_cls,kw', [(ViTAttention, {}),
                                         (ViTWindowAttention, dict(window_size=2, shift=True))])
def test_sdpa_and_explicit_paths_agree_with_gradients(attn_cls, kw):
    torch.manual_seed(0)
    a = attn_cls(32, 4, use_sdpa=True, **kw)
    b = attn_cls(32, 4, use_sdpa=False, **kw)
    b.load_state_dict(a.state_dict())
    x1 = torch.randn(2, 4 * 6, 32, requires_grad=True)
    x2 = x1.detach().clone().requires_grad_()
    y1, y2 = a(x1, TokenContext((4, 6))), b(x2, TokenContext((4, 6)))
    torch.testing.assert_close(y1, y2, atol=1e-5, rtol=1e-5)
    y1.square().sum().backward()
    y2.square().sum().backward()
    torch.testing.assert_close(x1.grad, x2.grad, atol=1e-5, rtol=1e-5)


def test_window_attention_really_is_local():
    # moving a token outside a window must not change the outputs inside it (non-shifted)
    torch.manual_seed(0)
    attn = ViTWindowAttention(8, 2, window_size=2).eval()
    x = torch.randn(1, 16, 8)
    y = attn(x, TokenContext((4, 4)))
    x2 = x.clone()
    x2[0, 15] += 10.0  # bottom-right window
    y2 = attn(x2, TokenContext((4, 4)))
    torch.testing.assert_close(y2[0, :2], y[0, :2])  # top-left window untouched
    assert not torch.allclose(y2[0, 15], y[0, 15])


@pytest.mark.parametrize('kw', [dict(window_size=0), dict(window_size=4, shift=(4, 0))])
def test_invalid_arguments(kw):
    with pytest.raises(ValueError, match='ViTWindowAttention'):
        ViTWindowAttention(8, 2, **kw)


def test_heads_must_divide_dim():
    with pytest.raises(ValueError, match='ViTAttention'):
        ViTAttention(10, 3)


@pytest.mark.parametrize('hw,window,shift,pool,extra', CASES)
def test_no_attention_call_takes_a_mask(hw, window, shift, pool, extra, monkeypatch):
    """Flash attention takes no mask: shifted, cut and pooling windows must not need one."""
    attn = ViTWindowAttention(16, 2, window_size=window, shift=shift, pool_size=pool)
    masks = []
    monkeypatch.setattr(attn, 'attend', lambda q, k, v, mask=None: masks.append(mask) or
                        ViTAttention.attend(attn, q, k, v, mask))
    attn(torch.randn(2, hw[0] * hw[1] + extra, 16), TokenContext(hw, extra))
    assert masks and all(m is None for m in masks)


def test_window_bands():
    from vitpose_ext.models.layers.window_attention import window_bands
    assert window_bands(12, 4, 0) == [(0, 12, 4)]
    assert window_bands(7, 3, 0) == [(0, 6, 3), (6, 7, 1)]  # the last window cut short
    assert window_bands(6, 3, 1) == [(0, 1, 1), (1, 4, 3), (4, 6, 2)]  # shifted by 1
    assert window_bands(12, 4, 2) == [(0, 2, 2), (2, 10, 4), (10, 12, 2)]  # shifted by half


def test_no_nan_gradients_with_cut_and_shifted_windows():
    attn = ViTWindowAttention(8, 2, window_size=(3, 3), shift=True)
    x = torch.randn(2, 4 * 5, 8, requires_grad=True)
    attn(x, TokenContext((4, 5))).sum().backward()
    assert torch.isfinite(x.grad).all() and all(torch.isfinite(p.grad).all()
                                                for p in attn.parameters())


# ---- CUDA: the SDPA kernels (flash, memory-efficient) against the explicit path ---------------
CUDA_CASES = [
    # attention class, kwargs, hw, extra tokens
    (ViTAttention, {}, (16, 12), 0),
    (ViTWindowAttention, dict(window_size=(4, 3)), (16, 12), 0),
    (ViTWindowAttention, dict(window_size=(4, 3), shift=True), (16, 12), 0),
    (ViTWindowAttention, dict(window_size=(5, 5)), (16, 12), 0),  # windows cut at the border
    (ViTWindowAttention, dict(window_size=(4, 3), pool_size=(4, 3)), (16, 12), 1),
    (ViTWindowAttention, dict(window_size=(4, 3), shift=True, pool_size=(4, 3)), (16, 12), 1),
]


@pytest.mark.cuda
@pytest.mark.parametrize('dtype', [torch.float32, torch.bfloat16])
@pytest.mark.parametrize('attn_cls,kw,hw,extra', CUDA_CASES)
def test_cuda_sdpa_kernels_match_the_explicit_path(attn_cls, kw, hw, extra, dtype):
    from torch.nn.attention import SDPBackend, sdpa_kernel

    torch.manual_seed(0)
    ref = attn_cls(128, 2, use_sdpa=False, **kw).cuda().double()  # head_dim 64
    fast = attn_cls(128, 2, use_sdpa=True, **kw).cuda().to(dtype)
    fast.load_state_dict(ref.state_dict())
    x = torch.randn(4, hw[0] * hw[1] + extra, 128, device='cuda', dtype=torch.float64)
    xf = x.to(dtype).requires_grad_()
    x.requires_grad_()
    # flash attention needs half precision (and no mask: no mode passes one)
    backend = SDPBackend.FLASH_ATTENTION if dtype == torch.bfloat16 else \
        SDPBackend.EFFICIENT_ATTENTION
    with sdpa_kernel([backend]):  # raises if the kernel is not eligible for these inputs
        y = fast(xf, TokenContext(hw, extra))
        y.float().square().sum().backward()
    y_ref = ref(x, TokenContext(hw, extra))
    y_ref.square().sum().backward()
    tol = 1e-5 if dtype == torch.float32 else 2e-2
    rel = (y.double() - y_ref).norm() / y_ref.norm()
    assert rel < tol, f'{backend}: relative error {rel:.2e}'
    grad_rel = (xf.grad.double() - x.grad).norm() / x.grad.norm()
    assert grad_rel < 5 * tol, f'{backend}: gradient relative error {grad_rel:.2e}'


def test_window_partition_round_trip_and_layout():
    from vitpose_ext.models.layers import window_partition, window_unpartition
    t = torch.arange(2 * 3 * 4 * 6 * 5, dtype=torch.float32).reshape(2, 3, 4, 6, 5)
    windows = window_partition(t, 2, 3)
    assert windows.shape == (2 * 4, 3, 6, 5)
    # window 1 of image 0 is rows 0-1, columns 3-5, row-major inside the window
    torch.testing.assert_close(windows[1], t[0, :, 0:2, 3:6].reshape(3, 6, 5))
    torch.testing.assert_close(window_unpartition(windows, 2, 4, 6, 2, 3), t)
