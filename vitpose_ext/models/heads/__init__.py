"""Pose heads, registered in MMPose's ``MODELS``."""
from .simdr_head import SimDRHead
from .simdr_token_head import SimDRTokenHead

__all__ = ['SimDRHead', 'SimDRTokenHead']
