"""Samplers."""
from typing import Iterator

import torch
from mmpose.datasets.samplers import MultiSourceSampler

from ..registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class EpochMultiSourceSampler(MultiSourceSampler):
    """MMPose's ``MultiSourceSampler`` (every batch mixes the data sets of a ``CombinedDataset``
    in ``source_ratio``) with each epoch's order a function of (seed, epoch).

    The stock sampler draws from one endless shuffled stream per data set for the whole run, so
    a resumed run starts the streams over and sees other samples than the uninterrupted run.
    Here ``set_epoch`` (called by MMEngine's ``DistSamplerSeedHook`` before every epoch) starts
    new streams from ``seed + epoch``. Arguments as ``MultiSourceSampler``.
    """

    def __init__(self, *args, **kwargs) -> None:
        self.epoch = 0
        super().__init__(*args, **kwargs)

    def _infinite_indices(self, sample_size: int) -> Iterator[int]:
        g = torch.Generator()
        g.manual_seed(self.seed + self.epoch)
        while True:
            if self.shuffle:
                yield from torch.randperm(sample_size, generator=g).tolist()
            else:
                yield from torch.arange(sample_size).tolist()

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch
        self.source2inds = {source: self._indices_of_rank(len(ds))
                            for source, ds in enumerate(self.dataset.datasets)}
