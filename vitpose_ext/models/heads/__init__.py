"""Pose heads, registered in MMPose's ``MODELS``."""
from .pct_head import PCTHead

__all__ = ['PCTHead']
