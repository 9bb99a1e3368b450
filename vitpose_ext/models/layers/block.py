"""A pre-norm transformer block with pluggable attention and FFN (timm's ``Block``)."""
from mmcv.cnn.bricks import DropPath
from torch import nn

from ...registry import MODELS


class Block(nn.Module):
    """x + attn(norm1(x)), then x + ffn(norm2(x)), each through stochastic depth.

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

    def forward(self, x, hw, num_extra=0, dataset_idx=None):
        """x: (B, H*W + num_extra, dim); ``dataset_idx`` goes to the FFN (ViTPose++'s routing)."""
        x = x + self.drop_path(self.attn(self.norm1(x), hw, num_extra))
        return x + self.drop_path(self.mlp(self.norm2(x), dataset_idx=dataset_idx))
