"""Data transforms, registered in MMPose's ``TRANSFORMS``."""
from .occlude_joints import OccludeJoints
from .pose_only import PackPoseOnlyInputs, SkipImage

__all__ = ['OccludeJoints', 'PackPoseOnlyInputs', 'SkipImage']
