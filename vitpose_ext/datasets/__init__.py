"""Data: the synthetic COCO-keypoints generator, data sets, samplers and transforms."""
from .apt36k import APT36KDataset
from .checks import (CheckedAicDataset, CheckedAP10KDataset, CheckedAPT36KDataset,
                     CheckedCocoDataset, CheckedCocoWholeBodyDataset, CheckedCrowdPoseDataset,
                     CheckedMpiiDataset, CheckedOCHumanDataset)
from .collate import shared_pseudo_collate
from .multi_task_combined import MultiTaskCombinedDataset
from .samplers import EpochMultiSourceSampler
from .transforms import *  # noqa: F401,F403  (register the transforms)

__all__ = ['APT36KDataset', 'CheckedAicDataset', 'CheckedAP10KDataset', 'CheckedAPT36KDataset',
           'CheckedCocoDataset', 'CheckedCocoWholeBodyDataset', 'CheckedCrowdPoseDataset',
           'CheckedMpiiDataset', 'CheckedOCHumanDataset', 'EpochMultiSourceSampler',
           'MultiTaskCombinedDataset', 'shared_pseudo_collate']
