"""Runner hooks, registered in MMPose's ``HOOKS``."""
from .checkpoint_fallback_hook import CheckpointFallbackHook
from .compile_hook import CompileModulesHook
from .epoch_seed_hook import EpochSeedHook
from .finite_loss_hook import FiniteLossHook, NonFiniteLossError
from .load_check_hook import LoadCheckHook

__all__ = ['CheckpointFallbackHook', 'CompileModulesHook', 'EpochSeedHook', 'FiniteLossHook',
           'LoadCheckHook', 'NonFiniteLossError']
