"""A pre-norm transformer block with pluggable attention and FFN (timm's ``Block``), and the
context every block of one forward pass shares."""
from typing import NamedTuple, Optional, Tuple

import torch
from mmcv.cnn.bricks import DropPath
from torch import nn

from ...registry import MODELS


class TokenContext(NamedTuple):
    """What a block's attention and FFN may need besides the tokens themselves; the backbone
    makes one per forward pass and every block hands it on as ``module(x, ctx)``.

    Attributes:
        hw (tuple[int, int] | None): the patch grid (H, W): the first H*W tokens are the patches
            in row-major order (window attention reads it).
        num_extra (int): extra tokens after the patches (window attention lets them attend to
            and be attended by every token).
        dataset_idx (Tensor | None): (B,) each sample's data set (``ViTMoEMlp`` routes by it).
    """
    hw: Optional[Tuple[int, int]] = None
    num_extra: int = 0
    dataset_idx: Optional[torch.Tensor] = None


class Block(nn.Module):
    """x + attn(norm1(x), ctx), then x + ffn(norm2(x), ctx), each through stochastic depth.

    Args:
        dim (int): token width.
        attn_cfg (dict): attention config for ``MODELS`` (``type`` e.g. ``'ViTAttention'`` or
            ``'ViTWindowAttention'``); ``dim`` is filled in.
        ffn_cfg (dict): FFN config for ``MODELS`` (``type`` e.g. ``'ViTMlp'``); ``dim`` filled in.
        drop_path (float): stochastic depth rate of this block.
        norm_eps (float): LayerNorm epsilon.
    """

    def __init__(self, dim, attn_cfg, ffn_cfg, drop_path=0.0, norm_eps=1e-6):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=norm_eps)
        self.attn = MODELS.build(dict(attn_cfg, dim=dim))
        self.norm2 = nn.LayerNorm(dim, eps=norm_eps)
        self.mlp = MODELS.build(dict(ffn_cfg, dim=dim))
        self.drop_path = DropPath(drop_path) if drop_path > 0 else nn.Identity()

    def forward(self, x, ctx):
        """x: (B, H*W + ctx.num_extra, dim); ``ctx`` a :class:`TokenContext`."""
        x = x + self.drop_path(self.attn(self.norm1(x), ctx))
        return x + self.drop_path(self.mlp(self.norm2(x), ctx))
