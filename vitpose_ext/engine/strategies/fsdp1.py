"""MMEngine's ``FSDPStrategy`` (PyTorch FSDP1) with two fixes for its optimizer: parameter
groups built on the parameters' real shapes, and gradient clipping by the norm of the whole
gradient. Both were measured on 2 CPU ranks (tests/engine/strategies/test_fsdp2.py).

**Groups.** With ``use_orig_params=True`` FSDP1 keeps the original parameter objects, but outside forward
and backward each one holds a *flattened 1-D view* of this rank's shard (or an empty tensor).
MMEngine builds the optimizer after wrapping, so every rule that looks at ``param.ndim`` sees
1-D parameters: ``ViTLayerDecayOptimWrapperConstructor`` (and MMEngine's own ``flat_decay_mult``)
then puts every weight matrix into the no-weight-decay groups. Measured on 2 CPU ranks
(tests/engine/strategies/test_fsdp2.py): with MMEngine's ``FSDPStrategy`` all 55 parameters of
the tiny model got ``weight_decay=0``; DDP gives 0.1 to its 16 matrices.

``FSDP1Strategy`` builds the optimizer inside
``FullyShardedDataParallel.summon_full_params(writeback=False)``, where the same parameter
objects show their full shapes; the groups then hold the very parameters FSDP trains. It costs
one all-gather of the weights before training (ViTPose-G: 4 GB in fp32 per GPU, freed before the
first iteration).

**Clipping.** MMEngine's ``OptimWrapper`` clips with ``torch.nn.utils.clip_grad_norm_`` over the
parameters it holds, which under FSDP1 are this rank's shards: each rank scales its shard by
its own partial norm (and logs that as ``grad_norm``). With ``clip_grad=dict(max_norm=...)`` the
tiny model ended 1.1e-3 away from DDP after 4 clipped steps. ``FSDP1Strategy`` points the
wrapper's clipping at ``FullyShardedDataParallel.clip_grad_norm_`` (the norm over all shards, as
PyTorch documents for FSDP1). ``clip_grad=dict(type='value', ...)`` is element-wise and stays.

Everything else (wrapping, mixed precision, activation checkpointing, checkpoints) is MMEngine's
``FSDPStrategy``, with the same arguments.
"""
import functools
from typing import Optional, Union

import torch

from mmengine._strategy import FSDPStrategy
from mmengine.optim import BaseOptimWrapper
from mmengine.registry import STRATEGIES
from torch import nn
from torch.distributed.fsdp import FullyShardedDataParallel as FSDP
from torch.optim import Optimizer


@STRATEGIES.register_module()
class FSDP1Strategy(FSDPStrategy):
    """``FSDPStrategy`` whose optimizer sees unsharded parameter shapes (module docstring).
    Arguments: those of MMEngine's ``FSDPStrategy``."""

    def build_optim_wrapper(self, optim_wrapper: Union[Optimizer, BaseOptimWrapper, dict],
                            model: Optional[nn.Module] = None) -> BaseOptimWrapper:
        if isinstance(optim_wrapper, dict) and isinstance(model, FSDP):
            with FSDP.summon_full_params(model, writeback=False):
                wrapper = super().build_optim_wrapper(optim_wrapper, model)
        else:
            wrapper = super().build_optim_wrapper(optim_wrapper, model)
        if isinstance(model, FSDP) and \
                getattr(wrapper, 'clip_func', None) is torch.nn.utils.clip_grad_norm_:
            wrapper.clip_func = functools.partial(_clip_all_shards, model)
        return wrapper


def _clip_all_shards(model: FSDP, params, max_norm: float, norm_type: float = 2.0,
                     **kwargs) -> torch.Tensor:
    """``OptimWrapper.clip_func`` under FSDP1: ``params`` (this rank's shards) are ignored, the
    wrapped model clips all of its gradients by their total norm, which it returns."""
    if kwargs:
        raise ValueError(f'FSDP1Strategy: clip_grad arguments {sorted(kwargs)} are not taken by '
                         'FullyShardedDataParallel.clip_grad_norm_ (max_norm, norm_type)')
    return model.clip_grad_norm_(max_norm, norm_type)
