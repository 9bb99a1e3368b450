"""Pose estimators (model wrappers the runner trains), registered in MMPose's ``MODELS``."""
