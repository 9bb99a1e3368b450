"""Narrow fixes that make MMPose 1.3.2's own code work in this stack, applied on import.

* ``to_numpy`` of bfloat16 tensors: MMPose's heads convert predictions to NumPy in ``loss``
  (training accuracy) and ``decode``; NumPy has no bfloat16, so bf16 mixed precision
  (``AmpOptimWrapper(dtype='bfloat16')``) fails in the first training step with ``TypeError: Got
  unsupported ScalarType BFloat16``. :func:`patch_to_numpy` converts bfloat16 tensors to float32
  first; every other input is handled by MMPose's function, unchanged.
"""
import sys

import torch
from mmpose.utils import tensor_utils

_original_to_numpy = tensor_utils.to_numpy


def to_numpy(x, *args, **kwargs):
    """MMPose's ``to_numpy``, with bfloat16 tensors converted to float32 first."""
    if isinstance(x, torch.Tensor) and x.dtype == torch.bfloat16:
        x = x.float()
    elif isinstance(x, (list, tuple)) and any(
            isinstance(t, torch.Tensor) and t.dtype == torch.bfloat16 for t in x):
        x = type(x)(t.float() if isinstance(t, torch.Tensor) and t.dtype == torch.bfloat16
                    else t for t in x)
    return _original_to_numpy(x, *args, **kwargs)


def patch_to_numpy():
    """Use :func:`to_numpy` in ``mmpose.utils.tensor_utils`` and in every loaded ``mmpose``
    module that imported the original by name (idempotent)."""
    for name, module in list(sys.modules.items()):
        if (name == 'mmpose' or name.startswith('mmpose.')) and getattr(
                module, 'to_numpy', None) is _original_to_numpy:
            module.to_numpy = to_numpy
