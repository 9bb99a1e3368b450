"""A training collate function whose batch leaves a loader worker in a few blocks of memory.

A loader worker sends each tensor of a batch to the main process as its own block of shared
memory, and the main process opens each block on its own: with MMEngine's ``pseudo_collate`` a
batch of 64 top-down samples is 192 blocks (an image, a heatmap and the keypoint weights per
sample). On the 2-core test machine the main process took about 210-285 such samples/s with one
or two workers (docs/benchmarks.md, "The training data pipeline").

``shared_pseudo_collate`` returns what ``pseudo_collate`` returns (the same values, shapes,
dtypes and types, lists of per-sample tensors included), except that the tensors of one field
that have the same shape and dtype in every sample are views into one tensor of the whole batch:
three blocks a batch for a heatmap model, one per field in general. The data samples are the
given ones, their fields replaced by the views (as ``pseudo_collate``, it does not copy them);
each view keeps the whole batch's block alive, and pickling one sample alone pickles that block.
"""
from typing import List, Sequence

import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import FUNCTIONS

#: data sample fields whose tensors are per-sample training targets
SAMPLE_FIELDS = ('gt_fields', 'gt_instance_labels')


def _one_block(tensors: Sequence) -> List:
    """``tensors`` as views into one stacked tensor when all are tensors of one shape and dtype;
    else unchanged."""
    if not tensors or not all(isinstance(t, torch.Tensor) for t in tensors) or \
            len({(t.shape, t.dtype) for t in tensors}) > 1:
        return list(tensors)
    return list(torch.stack(list(tensors)).unbind(0))


@FUNCTIONS.register_module()
def shared_pseudo_collate(data_batch: Sequence[dict]) -> dict:
    """``pseudo_collate`` with each field's tensors in one block (see the module's docstring)."""
    batch = pseudo_collate(data_batch)
    if not isinstance(batch, dict):  # samples that are not dicts: nothing of MMPose's
        return batch
    if isinstance(batch.get('inputs'), list):
        batch['inputs'] = _one_block(batch['inputs'])
    samples = batch.get('data_samples') or []
    for field in SAMPLE_FIELDS:
        elements = [s.get(field) for s in samples]
        if not elements or any(e is None for e in elements):
            continue
        for key in elements[0].keys():
            values = _one_block([e.get(key) for e in elements])
            for element, value in zip(elements, values):
                if isinstance(value, torch.Tensor):
                    setattr(element, key, value)
    return batch
