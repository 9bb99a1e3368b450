"""Data: the synthetic COCO-keypoints generator and (later) transforms."""
from .apt36k import APT36KDataset
from .dataset_index import SetDatasetIndex

__all__ = ['APT36KDataset', 'SetDatasetIndex']
