"""Runner hooks, registered in MMPose's ``HOOKS``."""
from .teacher_hook import LoadTeacherHook

__all__ = ['LoadTeacherHook']
