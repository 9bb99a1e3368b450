"""Person crops: where MMPose's test pipeline cuts them, and the cut itself, batched on the device.

``crop_frames`` computes what ``GetBBoxCenterScale`` and ``TopdownAffine`` compute for each box
(MMPose's own functions); ``warp_crops`` cuts every crop of a batch of images in one
``grid_sample`` call (``batch_crops``: those of a ``sources.collate``d batch). It equals ``cv2.warpAffine(..., INTER_LINEAR)`` (zero border) followed by
the uint8 rounding that MMPose's crops go through, up to pixels whose interpolated value lies
within float32 rounding of a half grey level (about 1 in 10^4, off by one level).
"""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from mmpose.datasets.transforms import TopdownAffine
from mmpose.structures.bbox import bbox_xyxy2cs, get_udp_warp_matrix, get_warp_matrix


def crop_frames(boxes: np.ndarray, input_size: Sequence[int], padding: float = 1.25,
                use_udp: bool = True) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centres (N, 2), scales (N, 2) and crop -> image affine matrices (N, 2, 3), float64, of
    the crops of ``boxes`` (N, 4) x1 y1 x2 y2, as ``GetBBoxCenterScale(padding)`` and
    ``TopdownAffine(input_size, use_udp)`` compute them (the scale grown to the input's aspect
    ratio; the matrices inverted in float64 as ``cv2.warpAffine`` inverts them)."""
    w, h = input_size
    boxes = np.asarray(boxes)[:, :4]
    if not len(boxes):
        return np.zeros((0, 2)), np.zeros((0, 2)), np.zeros((0, 2, 3))
    centers, scales = bbox_xyxy2cs(boxes, padding=padding)
    scales = TopdownAffine._fix_aspect_ratio(scales, aspect_ratio=w / h)
    warp = get_udp_warp_matrix if use_udp else get_warp_matrix
    inverse = [cv2.invertAffineTransform(warp(c, s, 0.0, output_size=(w, h)).astype(np.float64))
               for c, s in zip(centers, scales)]
    return centers.astype(np.float64), scales.astype(np.float64), np.stack(inverse)


def warp_crops(images: torch.Tensor, image_index: torch.Tensor, inverse: torch.Tensor,
               input_size: Sequence[int]) -> torch.Tensor:
    """Crops (N, 3, h, w), float32 holding whole grey levels (BGR as the images), of uint8
    images (M, H, W, 3) (zero-padded to one size; the padding acts as OpenCV's constant border):
    crop ``n`` samples image ``image_index[n]`` at ``inverse[n] @ (x, y, 1)`` for every crop
    pixel (x, y), bilinearly.

    One call for the whole batch: the images are the depth slices of a volume and each crop's
    grid points at its slice. With a power-of-two depth, a slice's normalised coordinate
    ``(2 i + 1) / D - 1`` maps back onto ``i`` exactly, so no weight falls on a neighbouring
    image and the trilinear sample is the bilinear one of that image."""
    M, H, W, _ = images.shape
    w, h = input_size
    device = images.device
    depth = 1 << max(M - 1, 0).bit_length()
    volume = torch.zeros((1, 3, depth, H, W), dtype=torch.float32, device=device)
    volume[0, :, :M] = images.permute(3, 0, 1, 2)
    # the affine straight into grid_sample's normalised coordinates, (2 u + 1) / size - 1,
    # composed in float64
    inverse = inverse.to(device, torch.float64)
    size = inverse.new_tensor([W, H]).view(1, 2, 1)
    theta = (2 * inverse + F.pad(inverse.new_ones(1, 2, 1), (2, 0))) / size
    theta[..., 2] -= 1
    theta = theta.float()
    xs = torch.arange(w, device=device, dtype=torch.float32).view(1, 1, w)
    ys = torch.arange(h, device=device, dtype=torch.float32).view(1, h, 1)
    grid = torch.empty((len(inverse), h, w, 3), dtype=torch.float32, device=device)
    for axis in (0, 1):
        t = theta[:, axis, :, None, None]
        grid[..., axis] = t[:, 0] * xs + t[:, 1] * ys + t[:, 2]
    grid[..., 2] = ((2 * image_index.to(device, torch.float32) + 1) / depth - 1).view(-1, 1, 1)
    crops = F.grid_sample(volume, grid[None], mode='bilinear', padding_mode='zeros',
                          align_corners=False)
    return crops[0].transpose(0, 1).round()  # MMPose's crops are uint8: round half to even


def batch_crops(images: torch.Tensor, items: Sequence[dict], input_size: Sequence[int],
                device: Optional[torch.device] = None) -> torch.Tensor:
    """``warp_crops`` of every box of a ``sources.collate``d batch (``images`` and the
    ``items`` with their ``boxes`` and ``inverse``), image after image, box after box."""
    counts = torch.tensor([len(item['boxes']) for item in items])
    image_index = torch.repeat_interleave(torch.arange(len(items)), counts)
    inverse = torch.from_numpy(np.concatenate([item['inverse'] for item in items]))
    return warp_crops(images.to(device, non_blocking=True), image_index, inverse, input_size)
