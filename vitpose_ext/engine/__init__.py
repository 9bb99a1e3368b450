from .checkpoint_compat import patch_local_checkpoint_loading
from .hooks import CompileModulesHook, LoadTeacherHook
from .layer_decay import ViTLayerDecayOptimWrapperConstructor

__all__ = ['CompileModulesHook', 'LoadTeacherHook', 'ViTLayerDecayOptimWrapperConstructor',
           'patch_local_checkpoint_loading']
