"""Strategies for MMEngine's ``FlexibleRunner`` and the functions its ``FSDPStrategy`` takes by
name (docs/large_models.md)."""
from .fsdp1 import FSDP1Strategy
from .fsdp2 import FSDP2Strategy
from .policies import vit_block_check_fn, vit_block_wrap_policy

__all__ = ['FSDP1Strategy', 'FSDP2Strategy', 'vit_block_check_fn', 'vit_block_wrap_policy']
