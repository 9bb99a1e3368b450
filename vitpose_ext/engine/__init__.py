from .checkpoint_compat import patch_local_checkpoint_loading
from .hooks import LoadTeacherHook
from .layer_decay import ViTLayerDecayOptimWrapperConstructor

__all__ = ['LoadTeacherHook', 'ViTLayerDecayOptimWrapperConstructor',
           'patch_local_checkpoint_loading']
