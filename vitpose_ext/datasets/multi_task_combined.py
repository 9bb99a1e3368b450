"""The data set of this package's multi-data-set (ViTPose++) configs."""
from typing import Optional

from mmpose.datasets.dataset_wrappers import CombinedDataset

from ..registry import DATASETS
from ..utils.metainfo import installed_metainfo


@DATASETS.register_module()
class MultiTaskCombinedDataset(CombinedDataset):
    """MMPose's ``CombinedDataset`` whose metainfo (what the packed samples and the checkpoint's
    ``dataset_meta`` carry) defaults to COCO's, data set 0 of the ViTPose++ mixes, read from
    MMPose's installed configs (:func:`~vitpose_ext.utils.metainfo.installed_metainfo`, as
    ``MultiTaskTopdownPoseEstimator`` reads its ``metainfos``). A ``metainfo`` given in MMPose's
    relative form (``dict(from_file='configs/_base_/datasets/<name>.py')``) is read from there
    too. MMPose's search for such a relative file warns each time a data set is built outside an
    MMPose checkout, and its inferencer reads a config's data set ``metainfo`` (or, without one,
    the class's ``METAINFO``) for a checkpoint without ``dataset_meta``."""
    METAINFO = installed_metainfo(dict(from_file='configs/_base_/datasets/coco.py'))

    def __init__(self, datasets: list, metainfo: Optional[dict] = None, **kwargs) -> None:
        super().__init__(installed_metainfo(metainfo or self.METAINFO), datasets, **kwargs)
