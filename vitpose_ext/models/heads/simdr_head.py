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
    from scratch, the upsampled maps with ``readout_init='bilinear'`` learn where MMPose's
    random readout does not learn at all (projects/simdr_vit/README.md).

    Same layers, names and initialisation as MMPose's ``SimCCHead`` with the same
    ``deconv_out_channels``, so its weights load as they are; what differs is decoding and flip
    test (``SimDRLabel``, see ``BaseSimDRHead``).

    ``readout_init='bilinear'`` starts the two linear layers as the marginals of the keypoint
    maps instead of random: x logit ``i`` = the sum of each map column ``c``, weighted by
    ``max(0, 1 - |x_i - x_c| / stride)`` (``x_i`` the bin's centre, ``x_c`` the column's, in
    input pixels; bins past the outermost centres read the outermost cell), likewise y over
    rows. The loss's gradient then reaches each map at the
    labelled column and row, as a heatmap loss reaches its heatmap; with random layers it is a
    random projection that no keypoint map can follow (projects/simdr_vit/README.md).

    Args:
        in_channels (int): channels of the (last) feature map.
        out_channels (int): number of keypoints K.
        in_featuremap_size (tuple[int, int]): (w, h) of the feature map.
        deconv_out_channels (tuple[int], optional): channels of each deconvolution.
        deconv_kernel_sizes (tuple[int], optional): their kernel sizes (4, 3 or 2).
        readout_init (str): 'normal' (MMPose's) or 'bilinear' (see above).
        loss, decoder, init_cfg: see ``BaseSimDRHead``.

    Shapes: feats[-1] (B, C, h, w) -> pred_x (B, K, Lx), pred_y (B, K, Ly).
    """

    def __init__(self, in_channels, out_channels, in_featuremap_size, loss, decoder,
                 deconv_out_channels=None, deconv_kernel_sizes=None, readout_init='normal',
                 init_cfg=None):
        super().__init__(out_channels, loss, decoder, init_cfg)
        if readout_init not in ('normal', 'bilinear'):
            raise ValueError(f"{type(self).__name__}: readout_init must be 'normal' or "
                             f"'bilinear', got {readout_init!r}")
        self.readout_init = readout_init
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
        self.map_size = (self.in_featuremap_size[0] * scale, self.in_featuremap_size[1] * scale)
        flat = self.map_size[0] * self.map_size[1]
        self.mlp_head_x = nn.Linear(flat, self.label_size[0])
        self.mlp_head_y = nn.Linear(flat, self.label_size[1])

    def init_weights(self):
        first = not self._is_init
        super().init_weights()
        if first and self.readout_init == 'bilinear':
            for axis, linear in enumerate((self.mlp_head_x, self.mlp_head_y)):
                linear.weight.data.copy_(self.bilinear_readout(axis))
                linear.bias.data.zero_()

    def bilinear_readout(self, axis):
        """(L, h * w) weights that sum the maps over the other axis, each bin reading the map
        cells (columns for x, rows for y) within one cell stride of its centre, linearly."""
        n, size = self.map_size[axis], self.decoder.input_size[axis]
        stride = size / n
        cells = (torch.arange(n, dtype=torch.float64) + 0.5) * stride - 0.5  # input pixels
        # bins beyond the outermost cell centres read that cell fully
        bins = torch.as_tensor(self.decoder.bin_centres_px(axis), dtype=torch.float64).clamp(
            float(cells[0]), float(cells[-1]))
        weight = (1 - (bins[:, None] - cells[None]).abs() / stride).clamp(min=0)  # (L, n)
        w, h = self.map_size
        weight = weight[:, None, :].expand(-1, h, w) if axis == 0 else \
            weight[:, :, None].expand(-1, h, w)
        return weight.reshape(len(bins), h * w).float()

    def forward(self, feats):
        x = feats[-1]
        if tuple(x.shape[-2:]) != self.in_featuremap_size[::-1]:
            raise ValueError(f'{type(self).__name__}: feature map (h, w) {tuple(x.shape[-2:])}, '
                             f'built for in_featuremap_size (w, h) {self.in_featuremap_size}')
        maps = self.final_layer(x) if self.deconv_head is None else self.deconv_head((x, ))
        x = torch.flatten(maps, 2)  # (B, K, h * w)
        return self.mlp_head_x(x), self.mlp_head_y(x)
