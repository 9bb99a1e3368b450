"""Decoding of whole batches on the device: UDP heatmaps (maximum + DARK), SimDR logits, PCT
poses, the flip test's merge, and the mapping from crop to image pixels.

``udp_dark_decode`` is MMPose's ``UDPHeatmap.decode`` (``get_heatmap_maximum`` and
``refine_keypoints_dark_udp``) in torch, operation for operation in float32, so the two agree
to float32 rounding wherever the decode is well conditioned (a clear maximum, a curved blurred
log-heatmap around it). Like MMPose, a map whose maximum is <= 0 starts the refinement at
(-1, -1), whose stencil reads the neighbouring (flattened) maps.
"""
from typing import List, Optional, Sequence, Tuple

import cv2
import torch
import torch.nn.functional as F
from mmpose.models.utils.tta import flip_coordinates, flip_heatmaps
from torch import Tensor


def gaussian_blur(heatmaps: Tensor, kernel_size: int) -> Tensor:
    """MMPose's ``gaussian_blur`` on (N, K, h, w): zero border, OpenCV's kernel (sigma from the
    size), each map rescaled to keep its maximum. A map whose blur is 0 everywhere is kept as
    it is (MMPose divides 0 by 0 there: NaN keypoints)."""
    if kernel_size % 2 != 1:
        raise ValueError(f'gaussian_blur: kernel_size must be odd, got {kernel_size}')
    N, K, h, w = heatmaps.shape
    kernel = torch.from_numpy(cv2.getGaussianKernel(kernel_size, 0)).to(heatmaps)
    border = kernel_size // 2
    x = heatmaps.reshape(N * K, 1, h, w)
    x = F.conv2d(x, kernel.view(1, 1, -1, 1), padding=(border, 0))
    x = F.conv2d(x, kernel.view(1, 1, 1, -1), padding=(0, border)).view(N, K, h, w)
    peak = x.flatten(2).amax(-1)[..., None, None]
    scale = heatmaps.flatten(2).amax(-1)[..., None, None] / torch.where(peak == 0, 1, peak)
    return x * torch.where(peak == 0, 1, scale)


def heatmap_maximum(heatmaps: Tensor) -> Tuple[Tensor, Tensor]:
    """MMPose's ``get_heatmap_maximum``: (x, y) of the first maximum (N, K, 2) float32, -1
    where the maximum is <= 0, and the maxima (N, K)."""
    N, K, h, w = heatmaps.shape
    flat = heatmaps.flatten(2)
    index = flat.argmax(-1)
    scores = flat.gather(-1, index[..., None])[..., 0]
    locs = torch.stack([index % w, index // w], -1).float()
    return torch.where((scores <= 0)[..., None], -1.0, locs), scores


def udp_dark_decode(heatmaps: Tensor, blur_kernel_size: int = 11) -> Tuple[Tensor, Tensor]:
    """Heatmaps (N, K, h, w) -> keypoints (N, K, 2) in heatmap pixels and scores (N, K), as
    ``UDPHeatmap.decode`` (gaussian) computes them before scaling to the input size."""
    heatmaps = heatmaps.float()
    N, K, h, w = heatmaps.shape
    keypoints, scores = heatmap_maximum(heatmaps)
    logs = gaussian_blur(heatmaps, blur_kernel_size).clamp(1e-3, 50.0).log()
    padded = F.pad(logs, (1, 1, 1, 1), mode='replicate').reshape(N, -1)
    W = w + 2
    index = (keypoints[..., 0] + 1 + (keypoints[..., 1] + 1) * W).long()
    index = index + (W * (h + 2)) * torch.arange(K, device=heatmaps.device)
    total = padded.shape[1]

    def at(offset):  # numpy's flat indexing: negative indices count from the end
        return padded.gather(1, (index + offset) % total)

    i_, ix1, iy1, ix1y1 = at(0), at(1), at(W), at(W + 1)
    ix1_y1_, ix1_, iy1_ = at(-W - 1), at(-1), at(-W)
    dx = 0.5 * (ix1 - ix1_)
    dy = 0.5 * (iy1 - iy1_)
    dxx = ix1 - 2 * i_ + ix1_
    dyy = iy1 - 2 * i_ + iy1_
    dxy = 0.5 * (ix1y1 - ix1 - iy1 + i_ + i_ - ix1_ - iy1_ + ix1_y1_)
    eps = torch.finfo(torch.float32).eps
    a, b, c, d = dxx + eps, dxy, dxy, dyy + eps
    det = a * d - b * c
    step = torch.stack([(d * dx - b * dy) / det, (a * dy - c * dx) / det], -1)
    return keypoints - step, scores


def merge_flip_heatmaps(heatmaps: Tensor, flipped: Tensor, flip_indices: List[int],
                        flip_mode: str = 'heatmap', shift_heatmap: bool = False) -> Tensor:
    """``HeatmapHead.predict``'s flip test: the flipped input's maps mapped back, averaged."""
    back = flip_heatmaps(flipped, flip_mode=flip_mode, flip_indices=flip_indices,
                         shift_heatmap=shift_heatmap)
    return (heatmaps + back) * 0.5


def merge_flip_pct(keypoints: Tensor, scores: Tensor, flipped: Tensor, flipped_scores: Tensor,
                   flip_indices: List[int], input_size: Sequence[int],
                   shift_coords: bool = True) -> Tuple[Tensor, Tensor]:
    """``PCTHead.predict``'s flip test on crop-pixel poses (N, K, 2) and scores (N, K): the
    flipped poses mapped back in crop-normalised coordinates, both averaged."""
    size = keypoints.new_tensor(input_size)
    back = flip_coordinates(flipped / size, flip_indices, shift_coords, input_size)
    return (keypoints / size + back) / 2 * size, (scores + flipped_scores) / 2


def to_image(keypoints: Tensor, centers: Tensor, scales: Tensor,
             input_size: Sequence[int]) -> Tensor:
    """Crop pixels (N, K, 2) -> image pixels, as ``TopdownPoseEstimator`` maps them (float64)."""
    keypoints, centers, scales = keypoints.double(), centers.double(), scales.double()
    size = keypoints.new_tensor(input_size)
    return keypoints / size * scales[:, None] + centers[:, None] - 0.5 * scales[:, None]


def heatmap_to_input(keypoints: Tensor, heatmap_size: Sequence[int],
                     input_size: Sequence[int]) -> Tensor:
    """Heatmap pixels -> crop (input) pixels: ``UDPHeatmap``'s ``/ (size - 1) * input_size``."""
    hw, hh = heatmap_size
    return keypoints / keypoints.new_tensor([hw - 1, hh - 1]) * keypoints.new_tensor(input_size)


def split_flip(x: Tensor, flip: bool) -> Tuple[Tensor, Optional[Tensor]]:
    """The first and second half of a batch made of crops and their mirror images."""
    if not flip:
        return x, None
    n = x.shape[0] // 2
    return x[:n], x[n:]
