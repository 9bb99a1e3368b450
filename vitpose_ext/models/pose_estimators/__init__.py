"""Pose estimators (model wrappers the runner trains), registered in MMPose's ``MODELS``."""
from .pct_estimator import PCTPoseEstimator
from .pct_tokenizer_estimator import PCTTokenizerEstimator

__all__ = ['PCTPoseEstimator', 'PCTTokenizerEstimator']
