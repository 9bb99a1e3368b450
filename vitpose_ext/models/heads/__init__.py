"""Pose heads, registered in MMPose's ``MODELS``."""
from .pct_head import PCTHead
from .simdr_head import SimDRHead
from .simdr_token_head import SimDRTokenHead

__all__ = ['PCTHead', 'SimDRHead', 'SimDRTokenHead']
