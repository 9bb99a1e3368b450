"""Functions MMEngine's ``FSDPStrategy`` (FSDP1) takes by name from its ``FUNCTIONS`` registry:
which modules become FSDP units and which are activation-checkpointed.

    strategy = dict(
        type='FSDPStrategy',
        model_wrapper=dict(auto_wrap_policy=dict(type='vit_block_wrap_policy'), ...),
        activation_checkpointing=dict(check_fn='vit_block_check_fn'))

A config cannot hold the classes that torch's ``ModuleWrapPolicy`` wants, so these match class
names (``module_types``, default ViTPoseBackbone's ``Block``).
"""
from typing import Sequence

from mmengine.registry import FUNCTIONS
from torch import nn

BLOCK_TYPES = ('Block', )


@FUNCTIONS.register_module()
def vit_block_wrap_policy(module: nn.Module, recurse: bool, nonwrapped_numel: int,
                          module_types: Sequence[str] = BLOCK_TYPES) -> bool:
    """FSDP1 ``auto_wrap_policy``: every module whose class name is in ``module_types`` becomes
    its own FSDP unit (the root, wrapped regardless, holds the rest). Same contract as torch's
    ``_module_wrap_policy``: while ``recurse`` is True it always descends."""
    return True if recurse else type(module).__name__ in tuple(module_types)


@FUNCTIONS.register_module()
def vit_block_check_fn(module: nn.Module, module_types: Sequence[str] = BLOCK_TYPES) -> bool:
    """``apply_activation_checkpointing``'s ``check_fn``: checkpoint the same modules."""
    return type(module).__name__ in tuple(module_types)
