"""The registries this package registers into: MMPose's (children of MMEngine's)."""
from mmpose.registry import HOOKS, KEYPOINT_CODECS, MODELS, OPTIM_WRAPPER_CONSTRUCTORS

__all__ = ['HOOKS', 'KEYPOINT_CODECS', 'MODELS', 'OPTIM_WRAPPER_CONSTRUCTORS']
