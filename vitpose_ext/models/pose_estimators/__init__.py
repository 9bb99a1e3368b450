"""Pose estimators (model wrappers the runner trains), registered in MMPose's ``MODELS``."""
from .knowledge_token import KnowledgeTokenPoseEstimator
from .token_distill import TokenDistillPoseEstimator

__all__ = ['KnowledgeTokenPoseEstimator', 'TokenDistillPoseEstimator']
