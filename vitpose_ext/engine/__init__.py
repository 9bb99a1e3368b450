from .hooks import (CheckpointFallbackHook, CompileModulesHook, EpochSeedHook, FiniteLossHook,
                    LoadCheckHook, LoadTeacherHook, NonFiniteLossError)
from .layer_decay import ViTLayerDecayOptimWrapperConstructor

__all__ = ['CheckpointFallbackHook', 'CompileModulesHook', 'EpochSeedHook', 'FiniteLossHook',
           'LoadCheckHook', 'LoadTeacherHook', 'NonFiniteLossError', 'ViTLayerDecayOptimWrapperConstructor']
