"""Keypoint codecs, registered in ``mmpose.registry.KEYPOINT_CODECS``."""
from .simdr_label import SimDRLabel

__all__ = ['SimDRLabel']
