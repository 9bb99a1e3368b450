"""Pose estimators (model wrappers the runner trains), registered in MMPose's ``MODELS``."""
from .frozen_backbone import FrozenBackbonePoseEstimator
from .knowledge_token import KnowledgeTokenPoseEstimator
from .multi_task_topdown import MultiTaskTopdownPoseEstimator
from .pct_tokenizer_estimator import PCTTokenizerEstimator
from .token_distill import TokenDistillPoseEstimator

__all__ = ['FrozenBackbonePoseEstimator', 'KnowledgeTokenPoseEstimator',
           'MultiTaskTopdownPoseEstimator', 'PCTTokenizerEstimator', 'TokenDistillPoseEstimator']
