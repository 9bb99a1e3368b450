"""The registries this package registers into: MMPose's (children of MMEngine's)."""
from mmpose.registry import KEYPOINT_CODECS, MODELS, OPTIM_WRAPPER_CONSTRUCTORS
from mmpose.registry import DATASETS, TRANSFORMS  # ViTPose++ multi-data-set training

__all__ = ['KEYPOINT_CODECS', 'MODELS', 'OPTIM_WRAPPER_CONSTRUCTORS']
__all__ += ['DATASETS', 'TRANSFORMS']
