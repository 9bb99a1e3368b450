"""The registries this package registers into: MMPose's (children of MMEngine's)."""
from mmpose.registry import (DATA_SAMPLERS, DATASETS, HOOKS, KEYPOINT_CODECS, METRICS, MODELS,
                             OPTIM_WRAPPER_CONSTRUCTORS, TRANSFORMS)

__all__ = ['DATA_SAMPLERS', 'DATASETS', 'HOOKS', 'KEYPOINT_CODECS', 'METRICS', 'MODELS',
           'OPTIM_WRAPPER_CONSTRUCTORS', 'TRANSFORMS']
