"""SimDR head for feature maps (plain ViT or CNN): per-keypoint maps -> two 1-D vectors."""
import torch
from torch import nn

from ...registry import MODELS
from .base_simdr_head import BaseSimDRHead


@MODELS.register_module()
class SimDRHead(BaseSimDRHead):
    """Per-keypoint maps, flattened, then two linear layers to the x and y logits (lengths from
    the codec).

    Without ``deconv_out_channels`` the maps are a 1x1 convolution of the feature map, which on
    a plain ViT stays at the patch grid (16x12 for ViTPose at 256x192). With it, the maps come
    from MMPose's ``HeatmapHead`` decoder (deconvolutions, each doubling the size, then the 1x1
    convolution), as ``SimCCHead(deconv_out_channels=...)`` builds them. On a tiny ViT trained
    from scratch only the upsampled maps learn to localise (docs/simdr.md).

    Same layers, names and initialisation as MMPose's ``SimCCHead`` with the same
    ``deconv_out_channels``, so its weights load as they are; what differs is decoding and flip
    test (``SimDRLabel``, see ``BaseSimDRHead``).

    Args:
        in_channels (int): channels of the (last) feature map.
        out_channels (int): number of keypoints K.
        in_featuremap_size (tuple[int, int]): (w, h) of the feature map.
        deconv_out_channels (tuple[int], optional): channels of each deconvolution.
        deconv_kernel_sizes (tuple[int], optional): their kernel sizes (4, 3 or 2).
        loss, decoder, init_cfg: see ``BaseSimDRHead``.

    Shapes: feats[-1] (B, C, h, w) -> pred_x (B, K, Lx), pred_y (B, K, Ly).
    """

    def __init__(self, in_channels, out_channels, in_featuremap_size, loss, decoder,
                 deconv_out_channels=None, deconv_kernel_sizes=None, init_cfg=None):
        super().__init__(out_channels, loss, decoder, init_cfg)
        self.in_featuremap_size = tuple(in_featuremap_size)
        if deconv_out_channels:
            if len(deconv_kernel_sizes or ()) != len(deconv_out_channels):
                raise ValueError(f'{type(self).__name__}: deconv_kernel_sizes '
                                 f'{deconv_kernel_sizes} must give one size per deconvolution '
                                 f'of deconv_out_channels {deconv_out_channels}')
            self.deconv_head = MODELS.build(dict(
                type='HeatmapHead', in_channels=in_channels, out_channels=out_channels,
                deconv_out_channels=deconv_out_channels,
                deconv_kernel_sizes=deconv_kernel_sizes))
            scale = 2 ** len(deconv_out_channels)
        else:
            self.deconv_head = None
            self.final_layer = nn.Conv2d(in_channels, out_channels, kernel_size=1)
            scale = 1
        flat = self.in_featuremap_size[0] * self.in_featuremap_size[1] * scale * scale
        self.mlp_head_x = nn.Linear(flat, self.label_size[0])
        self.mlp_head_y = nn.Linear(flat, self.label_size[1])

    def forward(self, feats):
        x = feats[-1]
        if tuple(x.shape[-2:]) != self.in_featuremap_size[::-1]:
            raise ValueError(f'{type(self).__name__}: feature map (h, w) {tuple(x.shape[-2:])}, '
                             f'built for in_featuremap_size (w, h) {self.in_featuremap_size}')
        maps = self.final_layer(x) if self.deconv_head is None else self.deconv_head((x, ))
        x = torch.flatten(maps, 2)  # (B, K, h * w)
        return self.mlp_head_x(x), self.mlp_head_y(x)
