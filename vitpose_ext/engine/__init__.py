from .checkpoint_compat import patch_local_checkpoint_loading
from .layer_decay import ViTLayerDecayOptimWrapperConstructor

__all__ = ['ViTLayerDecayOptimWrapperConstructor', 'patch_local_checkpoint_loading']
