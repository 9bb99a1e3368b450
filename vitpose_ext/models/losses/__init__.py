from .joint_smooth_l1 import JointSmoothL1Loss

__all__ = ['JointSmoothL1Loss']
