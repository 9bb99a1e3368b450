"""APT-36K (animal pose tracking, the ViTPose++ mix's data set 4): AP-10K's 17 keypoints, its own
name, so that per-data-set evaluation (``MultiDatasetEvaluator`` routes samples by
``dataset_name``) keeps it apart from AP-10K."""
from typing import Optional

from mmpose.datasets.datasets.animal import AP10KDataset

from ..registry import DATASETS


@DATASETS.register_module()
class APT36KDataset(AP10KDataset):
    """COCO-style APT-36K annotations (``data/apt36k/annotations/{train,val}_annotations_1.json``,
    images under ``data/apt36k/``), AP-10K's keypoint definition and OKS sigmas (read when the
    data set is built, as MMPose reads AP-10K's), named 'apt36k'."""

    @classmethod
    def _load_metainfo(cls, metainfo: Optional[dict] = None) -> dict:
        meta = super()._load_metainfo(metainfo)
        if meta.get('dataset_name') == 'ap10k':
            meta['dataset_name'] = 'apt36k'
        return meta
