"""Narrow fixes that make MMPose 1.3.2's own code work in this stack, applied on import.

* ``to_numpy`` of bfloat16 tensors: MMPose's heads convert predictions to NumPy in ``loss``
  (training accuracy) and ``decode``; NumPy has no bfloat16, so bf16 mixed precision
  (``AmpOptimWrapper(dtype='bfloat16')``) fails in the first training step with ``TypeError: Got
  unsupported ScalarType BFloat16``. :func:`patch_to_numpy` converts bfloat16 tensors to float32
  first; every other input is handled by MMPose's function, unchanged.
* The OpenCV drawing backend under NumPy 2: ``PoseLocalVisualizer`` passes a keypoint's radius
  as a one-element array, which ``OpencvBackendVisualizer.draw_circles`` converts with ``int()``;
  NumPy 2.4 refuses that (``TypeError: only 0-dimensional arrays can be converted to Python
  scalars``), so every picture with a keypoint failed (``tools/test.py --show-dir``, the demos,
  the inferencer, ``browse_dataset.py``, the validation visualisation hook).
  :func:`patch_opencv_visualizer` passes such a radius on as a number; the drawing is unchanged.
* Grayscale arrays given to inference: ``LoadImage`` reads image files in colour, but passes an
  array through as it is, and a (H, W) array fails later with an ``IndexError`` in the data
  preprocessor's BGR -> RGB step. :func:`patch_load_image` converts a one-channel array to BGR,
  what ``LoadImage`` does for a grayscale file.
"""
import sys
from typing import Any, Optional

import cv2
import numpy as np
import torch
from mmpose.datasets.transforms.loading import LoadImage
from mmpose.utils import tensor_utils
from mmpose.visualization.opencv_backend_visualizer import OpencvBackendVisualizer

_original_to_numpy = tensor_utils.to_numpy


def to_numpy(x: Any, *args, **kwargs) -> Any:
    """MMPose's ``to_numpy``, with bfloat16 tensors converted to float32 first."""
    if isinstance(x, torch.Tensor) and x.dtype == torch.bfloat16:
        x = x.float()
    elif isinstance(x, (list, tuple)) and any(
            isinstance(t, torch.Tensor) and t.dtype == torch.bfloat16 for t in x):
        x = type(x)(t.float() if isinstance(t, torch.Tensor) and t.dtype == torch.bfloat16
                    else t for t in x)
    return _original_to_numpy(x, *args, **kwargs)


def patch_to_numpy() -> None:
    """Use :func:`to_numpy` in ``mmpose.utils.tensor_utils`` and in every loaded ``mmpose``
    module that imported the original by name (idempotent)."""
    for name, module in list(sys.modules.items()):
        if (name == 'mmpose' or name.startswith('mmpose.')) and getattr(
                module, 'to_numpy', None) is _original_to_numpy:
            module.to_numpy = to_numpy


_original_draw_circles = OpencvBackendVisualizer.draw_circles


def draw_circles(self: OpencvBackendVisualizer, center: Any, radius: Any, *args, **kwargs) -> Any:
    """``OpencvBackendVisualizer.draw_circles`` with a one-element ``radius`` array made a
    number for the OpenCV backend (the matplotlib backend takes arrays as they are)."""
    if self.backend == 'opencv':
        if isinstance(radius, torch.Tensor):
            radius = radius.detach().cpu().numpy()
        if isinstance(radius, np.ndarray) and radius.size == 1:
            radius = radius.item()
    return _original_draw_circles(self, center, radius, *args, **kwargs)


def patch_opencv_visualizer() -> None:
    """Use :func:`draw_circles` in MMPose's OpenCV-backend visualizers (idempotent)."""
    OpencvBackendVisualizer.draw_circles = draw_circles


_original_load_image = LoadImage.transform


def load_image(self: LoadImage, results: dict) -> Optional[dict]:
    """``LoadImage.transform`` with a one-channel array made BGR, as files are read."""
    img = results.get('img')
    if isinstance(img, np.ndarray) and self.color_type == 'color' and (
            img.ndim == 2 or (img.ndim == 3 and img.shape[2] == 1)):
        results['img'] = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    return _original_load_image(self, results)


def patch_load_image() -> None:
    """Use :func:`load_image` in MMPose's ``LoadImage`` (idempotent)."""
    LoadImage.transform = load_image
