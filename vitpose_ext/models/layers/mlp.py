"""The transformer FFN: Linear -> GELU -> Linear (timm's ``Mlp``)."""
from torch import nn

from ...registry import MODELS


@MODELS.register_module()
class ViTMlp(nn.Module):
    """Two-layer FFN. ``hidden_features`` defaults to ``mlp_ratio * dim``."""

    def __init__(self, dim, hidden_features=None, mlp_ratio=4.0, drop=0.0):
        super().__init__()
        hidden = hidden_features or int(dim * mlp_ratio)
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)
        self.drop = nn.Dropout(drop)

    def forward(self, x, ctx=None):
        """x: (B, N, dim). A plain FFN needs nothing of the block's ``ctx``
        (:class:`~vitpose_ext.models.layers.block.TokenContext`, what ``ViTMoEMlp`` routes by)."""
        return self.drop(self.fc2(self.drop(self.act(self.fc1(x)))))
