"""The data set of this package's multi-data-set (ViTPose++) configs."""
from mmpose.datasets.dataset_wrappers import CombinedDataset

from ..registry import DATASETS
from ..utils.metainfo import installed_metainfo


@DATASETS.register_module()
class MultiTaskCombinedDataset(CombinedDataset):
    """MMPose's ``CombinedDataset`` whose metainfo, MMPose's relative
    ``dict(from_file='configs/_base_/datasets/<name>.py')``, is read from MMPose's installed
    configs (:func:`~vitpose_ext.utils.metainfo.installed_metainfo`, as
    ``MultiTaskTopdownPoseEstimator`` reads its ``metainfos``) instead of through MMPose's search,
    which warns each time a data set is built outside an MMPose checkout."""

    def __init__(self, metainfo: dict, datasets: list, **kwargs) -> None:
        super().__init__(installed_metainfo(metainfo), datasets, **kwargs)
