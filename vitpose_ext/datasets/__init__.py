"""Data: the synthetic COCO-keypoints generator, data sets and transforms."""
from .apt36k import APT36KDataset
from .transforms import *  # noqa: F401,F403  (register the transforms)

__all__ = ['APT36KDataset']
