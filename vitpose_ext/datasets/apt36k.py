"""APT-36K (animal pose tracking, the ViTPose++ mix's data set 4): AP-10K's 17 keypoints, its own
name, so that per-data-set evaluation (``MultiDatasetEvaluator`` routes samples by
``dataset_name``) keeps it apart from AP-10K."""
import os.path as osp

import mmpose
from mmengine.config import Config
from mmpose.datasets.datasets.animal import AP10KDataset

from ..registry import DATASETS

_AP10K_INFO = osp.join(osp.dirname(mmpose.__file__), '.mim', 'configs', '_base_', 'datasets',
                       'ap10k.py')


@DATASETS.register_module()
class APT36KDataset(AP10KDataset):
    """COCO-style APT-36K annotations (``data/apt36k/annotations/{train,val}_annotations_1.json``,
    images under ``data/apt36k/``), AP-10K's keypoint definition and OKS sigmas."""
    METAINFO = dict(Config.fromfile(_AP10K_INFO).dataset_info.to_dict(), dataset_name='apt36k')
