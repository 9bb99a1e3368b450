"""Runner hooks, registered in MMPose's ``HOOKS``."""
from .compile_hook import CompileModulesHook
from .teacher_hook import LoadTeacherHook

__all__ = ['CompileModulesHook', 'LoadTeacherHook']
