"""Data: the synthetic COCO-keypoints generator, data sets, samplers and transforms."""
from .apt36k import APT36KDataset
from .samplers import EpochMultiSourceSampler
from .transforms import *  # noqa: F401,F403  (register the transforms)

__all__ = ['APT36KDataset', 'EpochMultiSourceSampler']
