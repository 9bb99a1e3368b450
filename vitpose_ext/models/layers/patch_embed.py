"""Patch embedding and position-embedding resizing."""
import math

import torch.nn.functional as F
from torch import nn


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


class PatchEmbed(nn.Module):
    """Conv patch embedding. ``stride`` < ``patch_size`` gives overlapping patches and a finer
    token grid (ViTPose's resolution flexibility); ``padding`` pads the image (ViTPose: 2)."""

    def __init__(self, in_channels, dim, patch_size=16, stride=None, padding=0):
        super().__init__()
        self.patch_size = _pair(patch_size)
        self.stride = _pair(stride or patch_size)
        self.padding = _pair(padding)
        self.proj = nn.Conv2d(in_channels, dim, self.patch_size, self.stride, self.padding)

    def grid_size(self, img_size):
        """Token grid (H, W) for an image of ``img_size`` = (H, W)."""
        return tuple((s + 2 * p - k) // st + 1 for s, p, k, st in zip(
            _pair(img_size), self.padding, self.patch_size, self.stride))

    def forward(self, x):
        """(B, C, H, W) -> tokens (B, Hg*Wg, dim), grid (Hg, Wg)."""
        x = self.proj(x)
        return x.flatten(2).transpose(1, 2), tuple(x.shape[2:])


def resize_pos_embed(pos_embed, src_hw, dst_hw, mode='bicubic'):
    """Interpolate a (1, Hs*Ws, C) grid position embedding to (1, Hd*Wd, C)."""
    if pos_embed.shape[1] != src_hw[0] * src_hw[1]:
        raise ValueError(f'resize_pos_embed: {pos_embed.shape[1]} tokens are not a '
                         f'{src_hw[0]}x{src_hw[1]} grid')
    if tuple(src_hw) == tuple(dst_hw):
        return pos_embed
    C = pos_embed.shape[-1]
    grid = pos_embed.reshape(1, *src_hw, C).permute(0, 3, 1, 2)
    grid = F.interpolate(grid.float(), size=tuple(dst_hw), mode=mode, align_corners=False)
    return grid.flatten(2).transpose(1, 2).to(pos_embed.dtype)


def infer_grid(num_tokens, like_hw):
    """The (H, W) with H*W = ``num_tokens`` whose aspect ratio is closest to ``like_hw``'s."""
    if num_tokens < 1:
        raise ValueError(f'infer_grid: no grid of {num_tokens} tokens')
    target = like_hw[0] / like_hw[1]
    best = None
    for h in range(1, num_tokens + 1):
        if num_tokens % h == 0:
            w = num_tokens // h
            err = abs(math.log(h / w / target))
            if best is None or err < best[0]:
                best = (err, (h, w))
    return best[1]
