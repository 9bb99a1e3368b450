"""Multi-head self-attention over all tokens (full attention)."""
import torch.nn.functional as F
from torch import nn

from ...registry import MODELS


@MODELS.register_module()
class ViTAttention(nn.Module):
    """Full multi-head self-attention with a fused qkv projection.

    Args:
        dim (int): token width.
        num_heads (int): heads; ``dim`` must divide by it.
        qkv_bias (bool): bias in the qkv projection.
        attn_drop (float): dropout on the attention weights (training only).
        proj_drop (float): dropout after the output projection.
        use_sdpa (bool): use ``F.scaled_dot_product_attention``; False takes the explicit
            softmax(q k^T / sqrt(d)) v path (same result, more memory).
    """

    def __init__(self, dim, num_heads, qkv_bias=True, attn_drop=0.0, proj_drop=0.0,
                 use_sdpa=True):
        super().__init__()
        if dim % num_heads:
            raise ValueError(f'{type(self).__name__}: dim {dim} is not divisible by '
                             f'num_heads {num_heads}')
        self.num_heads = num_heads
        self.head_dim = dim // num_heads
        self.scale = self.head_dim**-0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=qkv_bias)
        self.attn_drop = attn_drop
        self.proj = nn.Linear(dim, dim)
        self.proj_drop = nn.Dropout(proj_drop)
        self.use_sdpa = use_sdpa

    def split_qkv(self, x):
        """(B, N, dim) -> q, k, v each (B, heads, N, head_dim)."""
        B, N, _ = x.shape
        qkv = self.qkv(x).reshape(B, N, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        return qkv.unbind(0)

    def attend(self, q, k, v, mask=None):
        """softmax(q k^T * scale + mask) v. ``mask``: bool, True where a query may attend."""
        drop = self.attn_drop if self.training else 0.0
        if self.use_sdpa:
            return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=drop)
        attn = (q * self.scale) @ k.transpose(-2, -1)
        if mask is not None:
            attn = attn.masked_fill(~mask, float('-inf'))
        attn = attn.softmax(dim=-1)
        attn = F.dropout(attn, drop, training=self.training)
        return attn @ v

    def merge_heads(self, x):
        """(B, heads, N, head_dim) -> projected (B, N, dim)."""
        B, _, N, _ = x.shape
        return self.proj_drop(self.proj(x.transpose(1, 2).reshape(B, N, -1)))

    def forward(self, x, ctx=None):
        """x: (B, N, dim). Full attention needs nothing of the block's ``ctx``
        (:class:`~vitpose_ext.models.layers.block.TokenContext`)."""
        q, k, v = self.split_qkv(x)
        return self.merge_heads(self.attend(q, k, v))

