"""Seed every random number generator from (seed, epoch) when a training epoch starts."""
import functools
import random

import numpy as np
import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.runner import Runner

from ...registry import HOOKS


def epoch_seed(seed: int, epoch: int) -> int:
    """A 31-bit seed mixed from the run's seed and the epoch (different for every epoch)."""
    return int(np.random.SeedSequence([seed, epoch]).generate_state(1)[0] >> 1)


@HOOKS.register_module()
class EpochSeedHook(Hook):
    """Make a resumed run continue exactly as the uninterrupted one.

    MMEngine seeds the random number generators once, when the run starts, and saves none of
    their states in checkpoints: a run resumed at epoch ``e`` draws other random numbers than the
    uninterrupted run did in epoch ``e + 1`` (drop path, augmentation in the data-loader workers,
    the order of the samples), so its weights differ. Before each training epoch this hook makes
    all of them a function of the run's seed (``runner.seed``, which resuming restores from the
    checkpoint) and the epoch:

    * Python's ``random``, NumPy's and torch's generators (CPU and every CUDA device) in the main
      process, seeded with ``epoch_seed(seed, epoch)`` (plus the rank with
      ``randomness.diff_rank_seed``);
    * the data-loader workers: MMEngine's ``worker_init_fn`` seeds them with a fixed seed, the same
      every epoch; its seed becomes ``epoch_seed(seed, epoch)``, and persistent workers are
      restarted so that they take it (they would otherwise carry their generators over from the
      previous epoch);
    * the sampler's seed is set to the run's seed (MMEngine builds the data loader before it
      restores the seed of a resumed run).

    A run killed anywhere in an epoch and resumed from the last checkpoint (saved at an epoch's
    end) then ends with bit-identical weights in deterministic mode
    (``randomness=dict(seed=..., deterministic=True)``; tested on the CPU). MMPose's
    ``MultiSourceSampler`` draws from one endless stream per data set, which restarts on resume:
    use ``EpochMultiSourceSampler``, which starts each epoch's streams from (seed, epoch).
    """

    priority = 'HIGH'  # before DistSamplerSeedHook passes the epoch to the sampler

    def before_train_epoch(self, runner: Runner) -> None:
        seed = epoch_seed(runner.seed, runner.epoch)
        if runner.cfg.get('randomness', {}).get('diff_rank_seed', False):
            seed += get_rank()
        random.seed(seed)
        np.random.seed(seed)
        torch.manual_seed(seed)  # also every CUDA device's generator
        loader = runner.train_dataloader
        sampler = loader.batch_sampler.sampler if loader.batch_sampler is not None else \
            loader.sampler
        if hasattr(sampler, 'seed'):
            sampler.seed = runner.seed
        init = loader.worker_init_fn
        if isinstance(init, functools.partial) and 'seed' in init.keywords:
            loader.worker_init_fn = functools.partial(init.func, *init.args,
                                                      **dict(init.keywords, seed=seed))
            if loader.persistent_workers:
                # torch has no public way to restart persistent workers: dropping the iterator
                # shuts them down, and the next epoch starts new ones with the new seed
                loader._iterator = None
