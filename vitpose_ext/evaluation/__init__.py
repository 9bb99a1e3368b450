"""Evaluation metrics, registered in MMPose's ``METRICS``."""
from .metrics import *  # noqa: F401,F403
