"""SimDR head for keypoint tokens (TokenPose style): each token -> two 1-D vectors."""
from torch import nn

from ...registry import MODELS
from .base_simdr_head import BaseSimDRHead


@MODELS.register_module()
class SimDRTokenHead(BaseSimDRHead):
    """Projects each of K keypoint tokens directly to its x and y logits with two linear
    layers shared by all keypoints.

    The tokens come from ``ViTPoseBackbone(num_extra_tokens=K, out_type='extra_tokens')``:
    K learnable tokens appended to the patch tokens, attending to the image through every
    block, returned as (B, K, C) after the final norm. Token j is keypoint j (its learned
    embedding tells it which one).

    Args:
        in_channels (int): token dimension C.
        out_channels (int): number of keypoints K (= the backbone's extra tokens).
        loss, decoder, init_cfg: see ``BaseSimDRHead``.

    Shapes: feats[-1] (B, K, C) -> pred_x (B, K, Lx), pred_y (B, K, Ly).
    """

    def __init__(self, in_channels, out_channels, loss, decoder, init_cfg=None):
        super().__init__(out_channels, loss, decoder, init_cfg)
        self.mlp_head_x = nn.Linear(in_channels, self.label_size[0])
        self.mlp_head_y = nn.Linear(in_channels, self.label_size[1])

    def forward(self, feats):
        tokens = feats[-1]
        if tokens.ndim != 3 or tokens.shape[1] != self.out_channels:
            raise ValueError(f'{type(self).__name__}: expects (B, {self.out_channels}, C) '
                             f'keypoint tokens, got {tuple(tokens.shape)}; build the backbone '
                             f"with num_extra_tokens={self.out_channels}, out_type='extra_tokens'")
        return self.mlp_head_x(tokens), self.mlp_head_y(tokens)
