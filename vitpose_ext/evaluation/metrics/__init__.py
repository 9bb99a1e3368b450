from .joint_error import JointErrorMetric

__all__ = ['JointErrorMetric']
