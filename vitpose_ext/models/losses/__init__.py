"""Losses, registered in MMPose's ``MODELS``."""
from .joint_smooth_l1 import JointSmoothL1Loss
from .simdr_ce_loss import SimDRCrossEntropyLoss

__all__ = ['JointSmoothL1Loss', 'SimDRCrossEntropyLoss']
