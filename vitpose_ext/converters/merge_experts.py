"""Merge a ViTPose++ (multi-task) checkpoint into a plain single-task ViTPose checkpoint.

For data set t every factorised FFN's second linear becomes one dense ``fc2`` with the shared
expert's rows first and expert t's rows after them (the order in which ``ViTMoEMlp`` concatenates
its outputs), so a plain ``ViTPoseBackbone`` (``ViTMlp``) computes exactly what the multi-task
model computes for that data set, at plain ViTPose's parameter count and FLOPs. Head t becomes
``head``; the other experts and heads are dropped.
"""
import re

import torch

from ..utils.checkpoint import unwrap

_EXPERT = re.compile(r'^(.*\.mlp)\.experts\.(\d+)\.(weight|bias)$')
_HEAD = re.compile(r'^heads\.(\d+)\.(.*)$')


def merge_experts(checkpoint, dataset_idx):
    """Multi-task state dict (``MultiTaskTopdownPoseEstimator`` with ``ViTMoEMlp``, or a shared
    backbone) -> state dict of a ``TopdownPoseEstimator`` (``ViTPoseBackbone`` + one head) for
    data set ``dataset_idx``."""
    sd = unwrap(checkpoint)
    experts, heads, out = {}, set(), {}
    for key, value in sd.items():
        expert, head = _EXPERT.match(key), _HEAD.match(key)
        if expert:
            experts.setdefault(expert[1], {})[(int(expert[2]), expert[3])] = value
        elif head:
            heads.add(int(head[1]))
            if int(head[1]) == dataset_idx:
                out[f'head.{head[2]}'] = value
        else:
            out[key] = value
    if heads and dataset_idx not in heads:
        raise ValueError(f'merge_experts: no head {dataset_idx} in the checkpoint (heads '
                         f'{sorted(heads)})')
    for mlp, weights in experts.items():
        num = 1 + max(t for t, _ in weights)
        if not 0 <= dataset_idx < num:
            raise ValueError(f'merge_experts: dataset_idx {dataset_idx} out of range for the '
                             f'{num} experts of {mlp}')
        for part in ('weight', 'bias'):
            out[f'{mlp}.fc2.{part}'] = torch.cat(
                [sd[f'{mlp}.fc2.{part}'], weights[(dataset_idx, part)]], dim=0)
    return out
