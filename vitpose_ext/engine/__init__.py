from .checkpoint_compat import patch_local_checkpoint_loading

__all__ = ['patch_local_checkpoint_loading']
