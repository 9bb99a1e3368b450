"""An MLP-Mixer block over a fixed set of tokens (PCT's encoder, decoder and classifier)."""
from torch import nn

from .mlp import ViTMlp


class MixerBlock(nn.Module):
    """Token mixing then channel mixing, each a pre-norm residual two-layer MLP.

    ``x1 = x + token_mlp(norm1(x)^T)^T``, ``out = x1 + channel_mlp(norm2(x1))``.

    Args:
        num_tokens (int): the fixed number of tokens N the token MLP mixes.
        dim (int): token width C.
        token_hidden (int): hidden width of the token-mixing MLP.
        channel_hidden (int): hidden width of the channel-mixing MLP.
        drop (float): dropout after each MLP layer.
    """

    def __init__(self, num_tokens, dim, token_hidden, channel_hidden, drop=0.0):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim)
        self.token_mlp = ViTMlp(num_tokens, hidden_features=token_hidden, drop=drop)
        self.norm2 = nn.LayerNorm(dim)
        self.channel_mlp = ViTMlp(dim, hidden_features=channel_hidden, drop=drop)

    def forward(self, x):
        """x: (B, N, C) -> (B, N, C)."""
        x = x + self.token_mlp(self.norm1(x).transpose(1, 2)).transpose(1, 2)
        return x + self.channel_mlp(self.norm2(x))


def mixer_stack(num_blocks, num_tokens, dim, token_hidden, channel_hidden, drop=0.0):
    """``num_blocks`` MixerBlocks in an ``nn.Sequential``."""
    return nn.Sequential(*[MixerBlock(num_tokens, dim, token_hidden, channel_hidden, drop)
                           for _ in range(num_blocks)])
