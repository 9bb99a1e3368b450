"""Checkpoint files: safe loading, and the small helpers the converters and models share.

Loading never runs code from a file unless the user says the file is trusted. A checkpoint is a
pickle, and a pickle can call any function while it is read; ``torch.load(weights_only=True)``
(PyTorch's default since 2.6) only rebuilds tensors and plain containers. MMEngine 0.10.7 calls
``torch.load`` without the argument, so its own checkpoints, which also hold NumPy arrays (in
``meta``) and the message hub's ``HistoryBuffer``s, fail to load on torch >= 2.6.
:func:`load_checkpoint_file` loads with ``weights_only=True`` plus :data:`SAFE_GLOBALS`, exactly
what MMEngine checkpoints contain (measured on the checkpoints of every model family here,
MMEngine 0.10.7, NumPy 2.4), empty ones included (``b''``, the data of an empty array, is
``bytes()`` in a protocol-2 pickle: allowed without arguments only). Importing ``vitpose_ext``
makes it MMEngine's loader for local files (``vitpose_ext.compat``: ``load_from``, ``resume``,
``init_cfg=dict(type='Pretrained')``, ``load_checkpoint``, MMPose's ``init_model``). Remote
schemes (http, s3, ...) keep MMEngine's loaders.

A file that needs more is refused with an :class:`UnsafeCheckpointError` naming the file and the
globals. To load a file you trust, list it in the environment variable
``VITPOSE_TRUSTED_CHECKPOINTS`` (paths separated by ``os.pathsep``) or pass the tools'
``--trust-checkpoint``: it is then loaded with ``weights_only=False`` and a warning naming the
file is logged. There is no switch for all files.
"""
import logging
import os
import os.path as osp
import pickle
import re
import zipfile
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple

import numpy as np
import torch
from mmengine.logging import HistoryBuffer, print_log

TRUST_ENV = 'VITPOSE_TRUSTED_CHECKPOINTS'
_HISTORY_BUFFER_STATISTICS = ('min', 'max', 'mean', 'current')


def _history_buffer_method(obj, name):
    """``getattr`` as MMEngine checkpoints use it (the message hub's ``HistoryBuffer`` pickles its
    statistics methods as ``getattr(HistoryBuffer, 'mean')``); any other use is refused."""
    if obj is HistoryBuffer and name in _HISTORY_BUFFER_STATISTICS:
        return getattr(obj, name)
    raise pickle.UnpicklingError(f'getattr({obj!r}, {name!r}) is not allowed in a checkpoint')


def _empty_bytes(*args):
    """``bytes()`` as protocol-2 pickles (``torch.save``'s) spell ``b''``: the data of every empty
    NumPy array, e.g. a message-hub ``HistoryBuffer`` before its first update. Non-empty bytes come
    as ``_codecs.encode``, which torch allows itself. Any argument is refused: ``bytes(n)`` would
    allocate n bytes."""
    if args:
        kinds = ', '.join(type(a).__name__ for a in args)
        raise pickle.UnpicklingError(f'bytes({kinds}) is not allowed in a checkpoint')
    return b''


_multiarray = np._core.multiarray
# the classes of numeric and text dtypes (an array's or scalar's dtype is rebuilt as one of them);
# not ObjectDType: object arrays can hold anything
_DTYPE_CLASSES = [type(np.dtype(c)) for c in '?bhilqBHILQefdgFDGUS']
SAFE_GLOBALS = [
    _multiarray._reconstruct, _multiarray.scalar, np.ndarray, np.dtype,  # NumPy arrays in meta
    *_DTYPE_CLASSES,
    # the same, as files written with NumPy 1 name them
    (_multiarray._reconstruct, 'numpy.core.multiarray._reconstruct'),
    (_multiarray.scalar, 'numpy.core.multiarray.scalar'),
    HistoryBuffer, (_history_buffer_method, 'builtins.getattr'),  # the message hub
    (_empty_bytes, 'builtins.bytes'),  # b'' (empty arrays, empty buffers)
]


class UnsafeCheckpointError(pickle.UnpicklingError):
    """The file needs globals beyond :data:`SAFE_GLOBALS` to load: loading it could run code."""


class CorruptCheckpointError(RuntimeError):
    """The file is empty, truncated or not a checkpoint."""


def trusted_files() -> Set[str]:
    """Absolute paths listed in ``VITPOSE_TRUSTED_CHECKPOINTS``."""
    return {osp.abspath(osp.expanduser(p)) for p in os.environ.get(TRUST_ENV, '').split(os.pathsep)
            if p}


def _unsafe_globals(filename):
    try:
        found = torch.serialization.get_unsafe_globals_in_checkpoint(filename)
    except Exception:  # a legacy (non-zip) file: the error message names the first one
        return []
    allowed = {f[1] if isinstance(f, tuple) else f'{f.__module__}.{f.__qualname__}'
               for f in SAFE_GLOBALS}
    return [g for g in found if g not in allowed]


def load_checkpoint_file(filename: str, map_location: Any = None, trusted: bool = False) -> Any:
    """``torch.load`` a local checkpoint safely (see the module's docstring).

    Args:
        filename (str): path of the file.
        map_location: as ``torch.load``.
        trusted (bool): load with ``weights_only=False`` (the file can run code): only for files
            you trust. Files listed in ``VITPOSE_TRUSTED_CHECKPOINTS`` are trusted too.

    Raises:
        FileNotFoundError, UnsafeCheckpointError, CorruptCheckpointError: each naming the file.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint {filename} can not be found')
    if os.path.getsize(filename) == 0:
        raise CorruptCheckpointError(f'checkpoint {filename} is empty')
    if trusted or osp.abspath(filename) in trusted_files():
        print_log(f'loading {filename} with weights_only=False: it is trusted, so code in the '
                  'file may run', 'current', logging.WARNING)
        return torch.load(filename, map_location=map_location, weights_only=False)
    try:
        with torch.serialization.safe_globals(SAFE_GLOBALS):
            return torch.load(filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as exc:
        unsafe = _unsafe_globals(filename)
        found = re.search(
            r"got <class '([^']+)'>|GLOBAL (\S+)|((?:getattr|bytes)\(.*\) is not allowed)", str(exc))
        needs = ', '.join(unsafe) if unsafe else next(
            (g for g in found.groups() if g), str(exc)) if found else str(exc).splitlines()[0]
        raise UnsafeCheckpointError(
            f'refused to load {filename}: it needs {needs}, beyond the tensors, NumPy arrays '
            'and MMEngine message-hub objects a checkpoint holds, and loading it could run code. '
            f'If you trust this file, list it in {TRUST_ENV} (e.g. `export '
            f'{TRUST_ENV}={osp.abspath(filename)}`) or pass --trust-checkpoint to this '
            "package's tools.") from None
    except (RuntimeError, EOFError, zipfile.BadZipFile, ValueError) as exc:
        raise CorruptCheckpointError(f'checkpoint {filename} is truncated or not a PyTorch '
                                     f'checkpoint ({type(exc).__name__}: {exc})') from exc


def load_local_checkpoint(filename: str, map_location: Any = None) -> Any:
    """:func:`load_checkpoint_file` with the signature of MMEngine's checkpoint loaders (what
    ``vitpose_ext.compat`` registers for local files)."""
    return load_checkpoint_file(filename, map_location=map_location)


def unwrap(checkpoint: Any) -> Any:
    """The state dict inside a checkpoint file's content (``state_dict`` / ``model`` / itself)."""
    for key in ('state_dict', 'model'):
        if isinstance(checkpoint, dict) and isinstance(checkpoint.get(key), dict):
            return checkpoint[key]
    return checkpoint


def describe_load(missing: List[str], unexpected: List[str]) -> str:
    """A readable summary of ``load_state_dict(strict=False)``'s result."""
    lines = []
    if missing:
        lines.append(f'{len(missing)} missing keys (left at their initial values): '
                     + ', '.join(sorted(missing)))
    if unexpected:
        lines.append(f'{len(unexpected)} unexpected keys (ignored): '
                     + ', '.join(sorted(unexpected)))
    return '\n'.join(lines) or 'all keys matched'


def load_frozen(owner: str, module: torch.nn.Module, checkpoint: Optional[str],
                prefixes: Sequence[str] = ('',), skip: Sequence[str] = (),
                map_location: Any = 'cpu') -> Optional[Dict[str, Any]]:
    """Load a frozen part of a model (PCT's tokenizer, a distillation teacher) from a checkpoint.

    The one way this package loads what a model does not train, from the model's
    ``init_weights()`` (``Runner.train()`` runs it before ``load_from`` / ``resume``, so a
    resumed checkpoint still restores everything it holds; testing never runs it). The
    sub-state-dict under the first of ``prefixes`` that any key of the file starts with is loaded
    into ``module`` strictly, the keys in ``skip`` aside (neither required nor loaded), and keys
    the file holds that ``module``'s own load hooks drop on purpose aside; then every
    parameter of ``module`` but those in ``skip`` stops requiring gradients and ``module`` is put
    in eval mode. One line is logged.

    Args:
        owner (str): who loads, for the messages (e.g. ``'PCTHead'``).
        module (nn.Module): the frozen part.
        checkpoint (str | None): path or URL (any scheme MMEngine loads, through its
            ``CheckpointLoader``: local files load safely, see the module's docstring). None: a
            warning is logged and ``module`` keeps its weights (tests only).
        prefixes (Sequence[str]): where the part's keys may be in the file ('' : at the top).
        skip (Sequence[str]): keys of ``module`` left as they are (e.g. a token it learns).
        map_location: where the file's tensors are loaded before being copied.

    Returns:
        dict | None: the file's whole state dict (e.g. to take more from it), None without
        ``checkpoint``.

    Raises:
        ValueError: naming ``owner``, the file and the missing / unexpected keys (or the
            shape mismatch) when the weights do not fit.
    """
    from mmengine.runner.checkpoint import CheckpointLoader

    if checkpoint is None:
        print_log(f'{owner}: no checkpoint, the frozen {type(module).__name__} keeps its '
                  'initial weights (only useful in tests)', 'current', logging.WARNING)
        return None
    state = unwrap(CheckpointLoader.load_checkpoint(checkpoint, map_location=map_location))
    prefix = next((p for p in prefixes if any(k.startswith(p) for k in state)), None)
    if prefix is None:
        raise ValueError(f'{owner}: {checkpoint} has no weights under '
                         + ' or '.join(f'{p}*' for p in prefixes))
    sub = {k[len(prefix):]: v for k, v in state.items()
           if k.startswith(prefix) and k[len(prefix):] not in skip}
    error = f'{owner}: {checkpoint} does not fit the frozen {type(module).__name__}: '
    try:
        missing, unexpected = module.load_state_dict(sub, strict=False)
    except RuntimeError as e:  # shape mismatches
        raise ValueError(error + str(e)) from e
    # a key the file holds but the module's own load hook dropped is the module's choice (e.g.
    # mmpretrain's SwinTransformerV2 rebuilds its relative-position buffers), not a misfit
    missing = [k for k in missing if k not in skip and k not in sub]
    if missing or unexpected:
        raise ValueError(error + describe_load(missing, unexpected))
    for name, param in module.named_parameters():
        if name not in skip:
            param.requires_grad_(False)
    module.eval()
    print_log(f'{owner}: loaded the frozen weights ({len(sub)} tensors) from {checkpoint}',
              'current')
    return state


def load_into_config_model(state_dict: Mapping[str, torch.Tensor],
                           config: str) -> Tuple[List[str], List[str]]:
    """Build the model of the MMPose config file ``config`` (random weights) and load
    ``state_dict`` into it non-strictly: the check a converter's output should pass. Returns
    ``(missing, unexpected)`` key lists; :func:`describe_load` formats them."""
    from mmengine.config import Config
    from mmpose.registry import MODELS
    from mmpose.utils import register_all_modules

    register_all_modules()  # MMPose's; this package's registered when vitpose_ext was imported
    model = MODELS.build(Config.fromfile(config).model)
    return model.load_state_dict(state_dict, strict=False)
