"""MMPose's to_numpy takes bfloat16 tensors once vitpose_ext is imported (bf16 mixed precision)."""
import numpy as np
import torch

import vitpose_ext  # noqa: F401  (applies the fix)
from mmpose.models.heads.heatmap_heads import heatmap_head
from mmpose.utils import tensor_utils


def test_bfloat16_tensors_become_float32_arrays_everywhere_mmpose_converts():
    x = torch.tensor([[0.5, -1.25]], dtype=torch.bfloat16)
    for to_numpy in (tensor_utils.to_numpy, heatmap_head.to_numpy):
        out = to_numpy(x)
        assert out.dtype == np.float32 and out.tolist() == [[0.5, -1.25]]
        pair = to_numpy((x, x.float()))
        assert [a.dtype for a in pair] == [np.float32, np.float32]


def test_other_inputs_are_unchanged():
    x = torch.arange(3, dtype=torch.float16)
    assert tensor_utils.to_numpy(x).dtype == np.float16
    arrays, device = tensor_utils.to_numpy(x, return_device=True)
    assert device == x.device
