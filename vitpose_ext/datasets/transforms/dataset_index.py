"""Tag every sample of a data set with its index in a multi-data-set (ViTPose++) model."""
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS


@TRANSFORMS.register_module()
class SetDatasetIndex(BaseTransform):
    """Set ``results['dataset_idx']``: which task expert and head a sample trains / is tested with.

    Put it in each sub-dataset's pipeline of a ``CombinedDataset`` and add ``'dataset_idx'`` to
    ``PackPoseInputs(meta_keys=...)``: the index then reaches every data sample's metainfo, where
    ``MultiTaskTopdownPoseEstimator`` reads it. The key survives ``KeypointConverter`` and the
    metainfo keys ``CombinedDataset`` writes (it is none of them).

    Args:
        dataset_idx (int): the data set's index (>= 0), e.g. 0 COCO ... 5 COCO-WholeBody in the
            ViTPose++ reference mix.
    """

    def __init__(self, dataset_idx: int) -> None:
        if isinstance(dataset_idx, bool) or not isinstance(dataset_idx, int) or dataset_idx < 0:
            raise ValueError(f'{type(self).__name__}: dataset_idx must be an int >= 0, '
                             f'got {dataset_idx!r}')
        self.dataset_idx = dataset_idx

    def transform(self, results: dict) -> dict:
        results['dataset_idx'] = self.dataset_idx
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(dataset_idx={self.dataset_idx})'
