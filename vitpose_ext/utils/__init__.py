"""Helpers of the package: safe checkpoint loading (``checkpoint``), FLOP counting of fused
attention (``flops``), the configs' pipelines (``pipelines``), MMPose's metainfo files by their
installed path (``metainfo``), and ``DTYPES``, the names of the compute dtypes that the predictor
(and the benchmarks' ``--dtype``) take.

The helpers of the tools, studies and tests (config shrinking, study runs, timing, a fake batch)
are not part of the package: they live in tools/analysis_tools/."""
import torch

DTYPES = {'fp32': torch.float32, 'bf16': torch.bfloat16, 'fp16': torch.float16}

__all__ = ['DTYPES']
