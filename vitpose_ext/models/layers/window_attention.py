"""Window attention for plain ViTs: window, shifted window and pooling window (ViTPose, Sec. 4).

Tokens attend only inside non-overlapping windows of the patch grid, so the attention matrix costs
O(N * window) instead of O(N^2). Windows communicate by

* shifting: every other block moves the window grid by half a window (Swin), so the windows
  at the top / left border are cut short;
* pooling: every window's keys and values also include the whole map's keys and values
  average-pooled to a small grid (``pool_size``);
* mixing: a few blocks with full attention (``ViTPoseBackbone(global_blocks=...)``).

A grid that the window does not divide ends in shorter windows on the bottom / right. Swin's
cyclic shift and padding give the same result with a mask; here every window is a whole
rectangle of the grid, windows of one shape are attended in one call, and no call takes a mask,
so scaled_dot_product_attention may pick flash attention in every mode. Extra tokens (appended
after the H*W patch tokens, e.g. a knowledge token) attend to every token, and every window
attends to them.
"""
import torch
import torch.nn.functional as F

from ...registry import MODELS
from .attention import ViTAttention
from .patch_embed import _pair


def window_partition(t, wh, ww):
    """(B, h, Hp, Wp, d) -> (B * windows, h, wh * ww, d): the (wh, ww) windows of a grid whose
    size they divide, in row-major order (Hp / wh rows of Wp / ww windows)."""
    B, h, Hp, Wp, d = t.shape
    t = t.reshape(B, h, Hp // wh, wh, Wp // ww, ww, d).permute(0, 2, 4, 1, 3, 5, 6)
    return t.reshape(-1, h, wh * ww, d)


def window_unpartition(t, B, Hp, Wp, wh, ww):
    """(B * windows, h, wh * ww, d) -> (B, h, Hp, Wp, d): the inverse of
    :func:`window_partition`."""
    h, d = t.shape[1], t.shape[-1]
    t = t.reshape(B, Hp // wh, Wp // ww, h, wh, ww, d).permute(0, 3, 1, 4, 2, 5, 6)
    return t.reshape(B, h, Hp, Wp, d)


def window_bands(size, window, shift):
    """Windows along one axis of ``size`` tokens, as bands of equal windows: [(start, stop,
    window length)]. Cuts fall at ``shift + k * window``; the first window is ``shift`` long
    when shifted, the last one is what remains. Equal to Swin's cyclic shift with its mask, and
    to padding with padded tokens masked, but every window is whole, so no mask is needed."""
    cuts = sorted({0, size, *range(shift or window, size, window)})
    bands = []
    for a, b in zip(cuts, cuts[1:]):
        if bands and bands[-1][2] == b - a:
            bands[-1] = (bands[-1][0], b, b - a)
        else:
            bands.append((a, b, b - a))
    return bands


@MODELS.register_module()
class ViTWindowAttention(ViTAttention):
    """Multi-head self-attention inside windows of the patch grid.

    Args:
        window_size (int | tuple[int, int]): window (height, width) in tokens; clipped to the grid.
        shift (bool | int | tuple[int, int]): shift the windows; True shifts by half a window.
        pool_size (int | tuple[int, int] | None): if set, pooling window attention: keys and
            values pooled from the whole map to this grid join every window's.
        **kwargs: see :class:`ViTAttention`.
    """

    def __init__(self, dim, num_heads, window_size=(8, 8), shift=False, pool_size=None,
                 **kwargs):
        super().__init__(dim, num_heads, **kwargs)
        self.window_size = _pair(window_size)
        if min(self.window_size) < 1:
            raise ValueError(f'{type(self).__name__}: window_size must be >= 1, '
                             f'got {window_size}')
        if shift is True:
            shift = (self.window_size[0] // 2, self.window_size[1] // 2)
        self.shift = _pair(shift) if shift else (0, 0)
        if any(s < 0 or s >= w for s, w in zip(self.shift, self.window_size)):
            raise ValueError(f'{type(self).__name__}: shift {self.shift} must lie in '
                             f'[0, window_size) = [0, {self.window_size})')
        self.pool_size = _pair(pool_size) if pool_size else None

    def forward(self, x, ctx):
        """x: (B, H*W + ctx.num_extra, dim); ``ctx.hw`` = (H, W) the patch grid
        (:class:`~vitpose_ext.models.layers.block.TokenContext`)."""
        B = x.shape[0]
        H, W = ctx.hw
        num_extra = ctx.num_extra
        wh, ww = min(self.window_size[0], H), min(self.window_size[1], W)
        sh, sw = (self.shift[0] if wh < H else 0), (self.shift[1] if ww < W else 0)
        q, k, v = self.split_qkv(x)  # (B, h, N, d)
        heads, d = q.shape[1], q.shape[-1]
        grid = [t[:, :, :H * W].reshape(B, heads, H, W, d) for t in (q, k, v)]

        # tokens every window also sees: pooled keys/values of the whole map, and extra tokens
        shared_k, shared_v = [], []
        if self.pool_size is not None:
            for src, dst in ((k, shared_k), (v, shared_v)):
                m = src[:, :, :H * W].reshape(B * heads, H, W, d).permute(0, 3, 1, 2)
                m = F.adaptive_avg_pool2d(m, self.pool_size).flatten(2).transpose(1, 2)
                dst.append(m.reshape(B, heads, -1, d))
        if num_extra:
            shared_k.append(k[:, :, H * W:])
            shared_v.append(v[:, :, H * W:])
        shared = [torch.cat(ts, dim=2) for ts in (shared_k, shared_v)] if shared_k else None

        # one mask-free attention call per band pair: the windows in it all have one shape
        rows = []
        for r0, r1, lh in window_bands(H, wh, sh):
            cols = []
            for c0, c1, lw in window_bands(W, ww, sw):
                qw, kw, vw = (window_partition(t[:, :, r0:r1, c0:c1], lh, lw) for t in grid)
                if shared is not None:
                    n = qw.shape[0] // B
                    kw, vw = (torch.cat([t, s.unsqueeze(1).expand(-1, n, -1, -1, -1).reshape(
                        B * n, heads, -1, d)], dim=2) for t, s in zip((kw, vw), shared))
                out = self.attend(qw, kw, vw)
                cols.append(window_unpartition(out, B, r1 - r0, c1 - c0, lh, lw))
            rows.append(torch.cat(cols, dim=3))
        out = torch.cat(rows, dim=2).reshape(B, heads, H * W, d)
        if num_extra:  # extra tokens attend to everything
            out = torch.cat([out, self.attend(q[:, :, H * W:], k, v)], dim=2)
        return self.merge_heads(out)
