"""An MMEngine strategy over PyTorch's FSDP2 (``torch.distributed.fsdp.fully_shard``).

MMEngine 0.10's ``FSDPStrategy`` wraps FSDP1, which needs an accelerator; FSDP2 runs on CPU
with gloo as well, so sharded training is testable on a CPU. This file adapts FSDP2 to
``FlexibleRunner``'s strategy API and adds no sharding logic of its own:

* each module whose class name is in ``shard_module_types`` (ViTPoseBackbone's ``Block``)
  becomes its own FSDP unit, the rest of the model (embeddings, final norm, head) the root
  unit; parameter names are unchanged, so ``ViTLayerDecayOptimWrapperConstructor`` builds
  the same groups over the sharded (DTensor) parameters;
* ``mixed_precision``: ``MixedPrecisionPolicy`` (e.g. bf16 compute, fp32 gradient reduction);
  BatchNorm layers become units of their own computing in fp32 (their output cast back);
* ``activation_checkpointing``: PyTorch's composable ``checkpoint`` on each unit (no wrapper
  module, so no renamed parameters);
* checkpoints through ``torch.distributed.checkpoint``'s state-dict helpers:
  ``state_dict_type='full'`` writes one MMEngine ``.pth`` file on rank 0 whose weights are
  those a DDP run saves (same keys; ``load_from`` of ``Runner``, MMPose's tools and demos read
  it; its optimizer state is keyed by parameter names, so *resuming* it takes this strategy);
  ``'sharded'`` writes a folder in which every
  rank stores its shards (``torch.distributed.checkpoint``) and rank 0 ``meta.pth`` (meta,
  message hub, schedulers). Either kind is read back (``load_from`` or ``resume``) whatever
  ``state_dict_type`` is.

Weights of ``init_cfg`` are loaded by ``init_weights`` before sharding (MMEngine's prepare
order); ``load_from`` and resumed checkpoints are read after it (FlexibleRunner loads after
``prepare``), converted by the model's load hooks while still whole (:func:`run_load_pre_hooks`)
and distributed into the shards.

Not covered: ``CheckpointFallbackHook`` (configs/_base_/default_runtime.py) checks the
``last_checkpoint`` of an auto-resume (``resume=True`` without ``load_from``) as a zip file, so
it treats a sharded checkpoint folder as broken; auto-resume sharded runs with
``--resume PATH`` (or use ``state_dict_type='full'``).
"""
import os.path as osp
import re
import time
from typing import Callable, Optional, Sequence, Union

import mmengine
import torch
import torch.distributed.checkpoint as dcp
from mmengine.device import get_device
from mmengine.dist import get_world_size, is_main_process
from mmengine.registry import STRATEGIES
from mmengine.runner.checkpoint import _load_checkpoint, save_checkpoint
from mmengine.utils import get_git_hash
from mmengine._strategy import DDPStrategy
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm
from torch.distributed._composable import checkpoint as checkpoint_activations
from torch.distributed.checkpoint.state_dict import (StateDictOptions, get_model_state_dict,
                                                     get_optimizer_state_dict,
                                                     set_model_state_dict,
                                                     set_optimizer_state_dict)
from torch.distributed.device_mesh import init_device_mesh
from torch.distributed.fsdp import CPUOffloadPolicy, MixedPrecisionPolicy, fully_shard

STATE_DICT_TYPES = ('full', 'sharded')
META_FILE = 'meta.pth'  # inside a sharded checkpoint folder: everything but the tensors


def mixed_precision_policy(cfg: Optional[dict]) -> MixedPrecisionPolicy:
    """``dict(param_dtype='bfloat16', reduce_dtype='float32', ...)`` (dtype names or dtypes,
    any ``MixedPrecisionPolicy`` argument) -> the policy; None -> full precision."""
    cfg = dict(cfg or {})
    for key in ('param_dtype', 'reduce_dtype', 'output_dtype'):
        if isinstance(cfg.get(key), str):
            cfg[key] = getattr(torch, cfg[key])
    return MixedPrecisionPolicy(**cfg)


def run_load_pre_hooks(model: nn.Module, state_dict: dict) -> None:
    """Apply the model's own ``load_state_dict`` pre-hooks (not PyTorch's) to a full state dict
    in place, as ``load_state_dict`` would, before it is cut into shards: conversions that
    reshape tensors (ViTPoseBackbone's position-embedding interpolation, mmpretrain key layouts)
    cannot run on DTensors (``aten.copy_`` refuses a plain tensor of another layout). They run
    again inside ``set_model_state_dict`` on the converted dict, where they have nothing left to
    do (ours and MMPose's are idempotent)."""
    metadata = getattr(state_dict, '_metadata', {})
    for name, module in model.named_modules():
        prefix = name + '.' if name else ''
        for hook in list(module._load_state_dict_pre_hooks.values()):
            fn = getattr(hook, 'hook', hook)
            if getattr(fn, '__module__', '').startswith('torch.'):
                continue
            hook(state_dict, prefix, metadata.get(name, {}), True, [], [], [])


def revise(state_dict: dict, revise_keys: Sequence) -> dict:
    """``state_dict`` with each (pattern, replacement) of ``revise_keys`` applied to its keys,
    as MMEngine's checkpoint loading does."""
    for pattern, replacement in revise_keys:
        state_dict = {re.sub(pattern, replacement, k): v for k, v in state_dict.items()}
    return state_dict


@STRATEGIES.register_module()
class FSDP2Strategy(DDPStrategy):
    """Fully sharded data parallel training with FSDP2 (see the module docstring).

    Args:
        shard_module_types (Sequence[str]): class names of the modules sharded as units of
            their own (the root model is one more unit). Default: ViTPoseBackbone's blocks.
        reshard_after_forward (bool): free gathered parameters after each unit's forward
            (ZeRO-3 style; False keeps them until backward, ZeRO-2 style).
        mixed_precision (dict, optional): ``MixedPrecisionPolicy`` arguments, e.g.
            ``dict(param_dtype='bfloat16', reduce_dtype='float32')``.
        activation_checkpointing (bool): recompute each unit's activations in backward.
        cpu_offload (bool): keep sharded parameters, gradients and optimizer state on the CPU
            (``CPUOffloadPolicy``; the optimizer steps on the CPU).
        state_dict_type (str): 'full' or 'sharded': how checkpoints are written.
        **kwargs: ``DDPStrategy`` arguments (``sync_bn``, and the ``BaseStrategy`` ones
            FlexibleRunner fills in).
    """

    def __init__(self, *, shard_module_types: Sequence[str] = ('Block', ),
                 reshard_after_forward: bool = True, mixed_precision: Optional[dict] = None,
                 activation_checkpointing: bool = False, cpu_offload: bool = False,
                 state_dict_type: str = 'full', **kwargs):
        if state_dict_type not in STATE_DICT_TYPES:
            raise ValueError(f'FSDP2Strategy: state_dict_type must be one of '
                             f'{STATE_DICT_TYPES}, got {state_dict_type!r}')
        super().__init__(**kwargs)
        self.shard_module_types = tuple(shard_module_types)
        self.reshard_after_forward = reshard_after_forward
        self.mp_policy = mixed_precision_policy(mixed_precision)
        self.activation_checkpointing = activation_checkpointing
        self.offload_policy = CPUOffloadPolicy() if cpu_offload else None
        self.state_dict_type = state_dict_type

    # ------------------------------------------------------------------ wrapping
    def _wrap_model(self, model: nn.Module) -> nn.Module:
        """Shard the units bottom-up, then the root; the model keeps its class and names."""
        device = get_device()
        model = self.convert_model(model).to(device)
        kwargs = dict(mesh=init_device_mesh(device, (get_world_size(), )),
                      reshard_after_forward=self.reshard_after_forward,
                      mp_policy=self.mp_policy)
        if self.offload_policy is not None:
            kwargs['offload_policy'] = self.offload_policy
        units = [m for m in model.modules() if type(m).__name__ in self.shard_module_types]
        if not units:
            raise ValueError(f'FSDP2Strategy: no module of the types {self.shard_module_types} '
                             f'in {type(model).__name__}; set shard_module_types')
        for unit in units:
            if self.activation_checkpointing:
                checkpoint_activations(unit)
            fully_shard(unit, **kwargs)
        if self.mp_policy.param_dtype is not None:
            # BatchNorm (the heatmap heads') in fp32 as FSDP1 keeps it: its running statistics
            # stay fp32, which low-precision weights cannot be combined with
            policy = MixedPrecisionPolicy(param_dtype=torch.float32,
                                          reduce_dtype=self.mp_policy.reduce_dtype,
                                          output_dtype=self.mp_policy.param_dtype)
            for norm in (m for m in model.modules() if isinstance(m, _BatchNorm)):
                fully_shard(norm, **dict(kwargs, mp_policy=policy))
        fully_shard(model, **kwargs)
        self.logger.info(f'FSDP2Strategy: {len(units)} units of {self.shard_module_types} and '
                         f'the root sharded over {get_world_size()} ranks; mixed precision '
                         f'{self.mp_policy}; activation checkpointing '
                         f'{self.activation_checkpointing}')
        return model

    def _options(self, **kwargs) -> StateDictOptions:
        return StateDictOptions(full_state_dict=self.state_dict_type == 'full', **kwargs)

    # ------------------------------------------------------------------ state dicts
    def model_state_dict(self) -> dict:
        """Full: the unsharded weights on rank 0 (CPU), {} elsewhere. Sharded: DTensors."""
        return get_model_state_dict(self.model, options=self._options(cpu_offload=True))

    def optim_state_dict(self) -> dict:
        """Keyed by parameter names (full: on rank 0 only; sharded: this rank's shards)."""
        return get_optimizer_state_dict(self.model, self.optim_wrapper.optimizer,
                                        options=self._options(cpu_offload=True))

    def load_model_state_dict(self, state_dict: dict, *, strict: bool = False,
                              revise_keys: list = [(r'^module.', '')]) -> None:
        """A full (unsharded) state dict, e.g. a ``load_from`` checkpoint, into the shards; the
        model's load hooks convert it first (:func:`run_load_pre_hooks`)."""
        state_dict = revise(state_dict, revise_keys)
        run_load_pre_hooks(self.model, state_dict)
        result = set_model_state_dict(
            self.model, state_dict, options=StateDictOptions(full_state_dict=True, strict=strict))
        if result.missing_keys or result.unexpected_keys:
            self.logger.warning(f'FSDP2Strategy: missing keys {result.missing_keys}, '
                                f'unexpected keys {result.unexpected_keys}')

    def load_optim_state_dict(self, state_dict: Union[dict, str]) -> None:
        """A full optimizer state dict (from a full checkpoint), or the folder of a sharded
        checkpoint (what :meth:`load_checkpoint` puts under 'optimizer' for one)."""
        optimizer = self.optim_wrapper.optimizer
        if isinstance(state_dict, str):
            template = dict(optimizer=get_optimizer_state_dict(self.model, optimizer))
            dcp.load(template, checkpoint_id=state_dict)
            state_dict, full = template['optimizer'], False
        else:
            full = True
        set_optimizer_state_dict(self.model, optimizer, state_dict,
                                 options=StateDictOptions(full_state_dict=full))

    # ------------------------------------------------------------------ files
    def save_checkpoint(self, filename: str, *, save_optimizer: bool = True,
                        save_param_scheduler: bool = True, extra_ckpt: Optional[dict] = None,
                        callback: Optional[Callable] = None) -> None:
        """Collective: every rank calls it. Full: ``filename`` is one file written by rank 0;
        sharded: ``filename`` is a folder (every rank's shards and rank 0's ``meta.pth``)."""
        checkpoint = dict(state_dict=self.model_state_dict())
        if save_optimizer and hasattr(self, 'optim_wrapper'):
            checkpoint['optimizer'] = self.optim_state_dict()
        if save_param_scheduler and hasattr(self, 'param_schedulers'):
            checkpoint['param_schedulers'] = self.scheduler_state_dict()
        checkpoint.update(extra_ckpt or {})
        checkpoint.setdefault('meta', {}).update(
            seed=self.seed, time=time.strftime('%Y%m%d_%H%M%S', time.localtime()),
            mmengine=mmengine.__version__ + get_git_hash())
        if callback is not None:
            callback(checkpoint)
        if self.state_dict_type == 'full':
            if is_main_process():
                save_checkpoint(checkpoint, filename)
            return
        tensors = {k: checkpoint.pop(k) for k in ('state_dict', 'optimizer') if k in checkpoint}
        dcp.save(tensors, checkpoint_id=filename)
        if is_main_process():
            save_checkpoint(checkpoint, osp.join(filename, META_FILE))

    def load_checkpoint(self, filename: str, *, map_location: Union[str, Callable] = 'cpu',
                        strict: bool = False, revise_keys: list = [(r'^module.', '')],
                        callback: Optional[Callable] = None) -> dict:
        """A full checkpoint file (ours, ``Runner``'s, a converted release) or a sharded
        checkpoint folder of this strategy, into the sharded model."""
        if not osp.isdir(filename):
            return super().load_checkpoint(filename, map_location=map_location, strict=strict,
                                           revise_keys=revise_keys, callback=callback)
        self.logger.info(f'Load sharded checkpoint from {filename}')
        checkpoint = _load_checkpoint(osp.join(filename, META_FILE), map_location='cpu')
        template = dict(state_dict=get_model_state_dict(self.model))
        dcp.load(template, checkpoint_id=filename,
                 planner=dcp.DefaultLoadPlanner(allow_partial_load=not strict))
        checkpoint['state_dict'] = template['state_dict']
        checkpoint['optimizer'] = filename  # read by load_optim_state_dict when resuming
        if callback is not None:
            callback(checkpoint)
        set_model_state_dict(self.model, checkpoint.pop('state_dict'))
        return checkpoint
