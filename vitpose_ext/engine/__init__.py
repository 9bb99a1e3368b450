from .hooks import CompileModulesHook, LoadTeacherHook
from .layer_decay import ViTLayerDecayOptimWrapperConstructor

__all__ = ['CompileModulesHook', 'LoadTeacherHook', 'ViTLayerDecayOptimWrapperConstructor']
