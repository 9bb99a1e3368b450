from .hooks import (CheckpointFallbackHook, CompileModulesHook, EpochSeedHook, FiniteLossHook,
                    LoadCheckHook, NonFiniteLossError)
from .layer_decay import ViTLayerDecayOptimWrapperConstructor
from .strategies import FSDP1Strategy, FSDP2Strategy  # register into MMEngine's STRATEGIES

__all__ = ['CheckpointFallbackHook', 'CompileModulesHook', 'EpochSeedHook', 'FiniteLossHook',
           'FSDP1Strategy', 'FSDP2Strategy', 'LoadCheckHook',
           'NonFiniteLossError', 'ViTLayerDecayOptimWrapperConstructor']
