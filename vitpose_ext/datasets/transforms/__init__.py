"""Data transforms, registered in MMPose's ``TRANSFORMS``."""
from .dataset_index import SetDatasetIndex
from .occlude_joints import OccludeJoints
from .pose_only import PackPoseOnlyInputs, SkipImage

__all__ = ['OccludeJoints', 'PackPoseOnlyInputs', 'SetDatasetIndex', 'SkipImage']
