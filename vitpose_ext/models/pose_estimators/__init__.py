"""Pose estimators (model wrappers the runner trains), registered in MMPose's ``MODELS``."""
from .multi_task_topdown import MultiTaskTopdownPoseEstimator

__all__ = ['MultiTaskTopdownPoseEstimator']
