"""Losses, registered in MMPose's ``MODELS``."""
from .simdr_ce_loss import SimDRCrossEntropyLoss

__all__ = ['SimDRCrossEntropyLoss']
