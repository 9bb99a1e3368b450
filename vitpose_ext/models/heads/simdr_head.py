"""SimDR head for feature maps (plain ViT or CNN): per-keypoint maps -> two 1-D vectors."""
import torch
from torch import nn

from ...registry import MODELS
from .base_simdr_head import BaseSimDRHead


@MODELS.register_module()
class SimDRHead(BaseSimDRHead):
    """1x1 convolution to one map per keypoint, flattened, then two linear layers to the x and
    y logits (lengths from the codec). No deconvolution: on a plain ViT the feature map stays
    at the patch grid (16x12 for ViTPose at 256x192).

    Same layers and initialisation as MMPose's ``SimCCHead`` without deconvolution
    (``deconv_out_channels=None``), so its weights load as they are; what differs is decoding
    and flip test (``SimDRLabel``, see ``BaseSimDRHead``).

    Args:
        in_channels (int): channels of the (last) feature map.
        out_channels (int): number of keypoints K.
        in_featuremap_size (tuple[int, int]): (w, h) of the feature map.
        loss, decoder, init_cfg: see ``BaseSimDRHead``.

    Shapes: feats[-1] (B, C, h, w) -> pred_x (B, K, Lx), pred_y (B, K, Ly).
    """

    def __init__(self, in_channels, out_channels, in_featuremap_size, loss, decoder,
                 init_cfg=None):
        super().__init__(out_channels, loss, decoder, init_cfg)
        self.in_featuremap_size = tuple(in_featuremap_size)
        flat = self.in_featuremap_size[0] * self.in_featuremap_size[1]
        self.final_layer = nn.Conv2d(in_channels, out_channels, kernel_size=1)
        self.mlp_head_x = nn.Linear(flat, self.label_size[0])
        self.mlp_head_y = nn.Linear(flat, self.label_size[1])

    def forward(self, feats):
        x = feats[-1]
        if tuple(x.shape[-2:]) != self.in_featuremap_size[::-1]:
            raise ValueError(f'{type(self).__name__}: feature map (h, w) {tuple(x.shape[-2:])}, '
                             f'built for in_featuremap_size (w, h) {self.in_featuremap_size}')
        x = torch.flatten(self.final_layer(x), 2)  # (B, K, h * w)
        return self.mlp_head_x(x), self.mlp_head_y(x)
