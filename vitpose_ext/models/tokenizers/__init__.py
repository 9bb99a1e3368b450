"""Pose tokenizers (PCT stage 1), registered in MMPose's ``MODELS``."""
from .pct_tokenizer import PCTTokenizer, joint_features

__all__ = ['PCTTokenizer', 'joint_features']
