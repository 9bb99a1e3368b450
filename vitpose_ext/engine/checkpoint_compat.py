"""Make MMEngine 0.10.7 load local checkpoints on torch >= 2.6.

torch 2.6 made ``torch.load(weights_only=True)`` the default. MMEngine 0.10.7 calls ``torch.load``
without the argument, and its own checkpoints hold more than tensors (the message hub's
``HistoryBuffer``, NumPy arrays in ``meta``), so ``load_from`` and ``resume`` fail with an
``UnpicklingError``. MMEngine fixed this after 0.10.7 (unreleased at the time of writing).

The fix here is targeted: only the loader of MMEngine's local-file scheme (prefix ``''``, used by
``load_from``, ``resume``, ``load_checkpoint`` and MMPose's ``init_model``) is replaced, by one that
trusts local files as MMEngine always did (``weights_only=False``). Every other error (a missing
file, a corrupt archive) propagates unchanged; remote schemes are untouched.
"""
import os.path as osp

import torch
from mmengine.runner.checkpoint import CheckpointLoader
from mmengine.utils import digit_version


def load_local_checkpoint(filename, map_location=None):
    """MMEngine's ``load_from_local`` with ``weights_only=False`` made explicit."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return torch.load(filename, map_location=map_location, weights_only=False)


def needs_patch():
    """True when torch defaults to ``weights_only=True`` and MMEngine does not pass it."""
    return digit_version(torch.__version__) >= digit_version('2.6.0')


def patch_local_checkpoint_loading():
    """Register :func:`load_local_checkpoint` for local paths (idempotent)."""
    if needs_patch():
        CheckpointLoader.register_scheme(prefixes='', loader=load_local_checkpoint, force=True)
