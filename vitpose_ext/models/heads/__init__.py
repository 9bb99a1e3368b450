"""Pose heads, registered in MMPose's ``MODELS``."""
