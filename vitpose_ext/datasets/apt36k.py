"""APT-36K (animal pose tracking, the ViTPose++ mix's data set 4): AP-10K's 17 keypoints, its own
name, so that per-data-set evaluation (``MultiDatasetEvaluator`` routes samples by
``dataset_name``) keeps it apart from AP-10K."""
import os.path as osp

from mmpose.datasets.datasets.animal import AP10KDataset

from ..registry import DATASETS


@DATASETS.register_module()
class APT36KDataset(AP10KDataset):
    """COCO-style APT-36K annotations (``data/apt36k/annotations/{train,val}_annotations_1.json``,
    images under ``data/apt36k/``), AP-10K's keypoint definition and OKS sigmas, named 'apt36k'.

    The name is in the class's ``METAINFO`` file (``metainfo/apt36k.py``, AP-10K's file as its
    base), not only in the built data set: ``MultiDatasetEvaluator`` reads ``METAINFO`` of the
    data set type to key its metrics, and with AP-10K's name there it gave AP-10K's samples to
    APT-36K's metric and APT-36K's to none."""
    METAINFO = dict(from_file=osp.join(osp.dirname(__file__), 'metainfo', 'apt36k.py'))
