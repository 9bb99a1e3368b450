"""Window attention for plain ViTs: window, shifted window and pooling window (ViTPose, Sec. 4).

Tokens attend only inside non-overlapping windows of the patch grid, so the attention matrix costs
O(N * window) instead of O(N^2). Windows communicate by

* shifting: every other block moves the window grid by half a window (Swin); tokens that wrap
  around the border are masked so they only see tokens of their own region;
* pooling: every window's keys and values also include the whole map's keys and values
  average-pooled to a small grid (``pool_size``);
* mixing: a few blocks with full attention (``ViTPoseBackbone(global_blocks=...)``).

A grid that the window does not divide is padded on the bottom / right; padded tokens are never
attended to. Extra tokens (appended after the H*W patch tokens, e.g. a knowledge token) attend to
every token, and every window attends to them.
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

    def _window_mask(self, Hp, Wp, H, W, wh, ww, sh, sw, device):
        """(windows, T, T) bool: same shift region, key not padding, or the query itself."""
        valid = torch.zeros(Hp, Wp, dtype=torch.bool, device=device)
        valid[:H, :W] = True
        region = torch.zeros(Hp, Wp, dtype=torch.long, device=device)
        if sh or sw:
            valid = valid.roll((-sh, -sw), dims=(0, 1))
            bounds_h = (slice(0, Hp - wh), slice(Hp - wh, Hp - sh), slice(Hp - sh, Hp))
            bounds_w = (slice(0, Wp - ww), slice(Wp - ww, Wp - sw), slice(Wp - sw, Wp))
            for i, bh in enumerate(bounds_h):
                for j, bw in enumerate(bounds_w):
                    region[bh, bw] = 3 * i + j
        valid = window_partition(valid[None, None, :, :, None], wh, ww)[:, 0, :, 0]  # (windows, T)
        region = window_partition(region[None, None, :, :, None], wh, ww)[:, 0, :, 0]
        mask = (region[:, :, None] == region[:, None, :]) & valid[:, None, :]
        return mask | torch.eye(wh * ww, dtype=torch.bool, device=device)

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
        pad_h, pad_w = -H % wh, -W % ww
        Hp, Wp = H + pad_h, W + pad_w
        if pad_h or pad_w:
            grid = [F.pad(t, (0, 0, 0, pad_w, 0, pad_h)) for t in grid]
        if sh or sw:
            grid = [t.roll((-sh, -sw), dims=(2, 3)) for t in grid]
        qw, kw, vw = (window_partition(t, wh, ww) for t in grid)
        num_windows = qw.shape[0] // B

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
        num_shared = sum(t.shape[2] for t in shared_k)
        if num_shared:
            def per_window(ts):
                t = torch.cat(ts, dim=2)
                return t.unsqueeze(1).expand(-1, num_windows, -1, -1, -1).reshape(
                    B * num_windows, heads, num_shared, d)
            kw = torch.cat([kw, per_window(shared_k)], dim=2)
            vw = torch.cat([vw, per_window(shared_v)], dim=2)

        mask = None
        if sh or sw or pad_h or pad_w:
            mask = self._window_mask(Hp, Wp, H, W, wh, ww, sh, sw, x.device)
            if num_shared:
                mask = F.pad(mask, (0, num_shared), value=True)
            mask = mask.unsqueeze(0).expand(B, -1, -1, -1).reshape(B * num_windows, 1,
                                                                     *mask.shape[1:])
        out = window_unpartition(self.attend(qw, kw, vw, mask), B, Hp, Wp, wh, ww)
        if sh or sw:
            out = out.roll((sh, sw), dims=(2, 3))
        out = out[:, :, :H, :W].reshape(B, heads, H * W, d)
        if num_extra:  # extra tokens attend to everything
            out = torch.cat([out, self.attend(q[:, :, H * W:], k, v)], dim=2)
        return self.merge_heads(out)
