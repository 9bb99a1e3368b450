"""Prepare a trained checkpoint for sharing (this package's version of MMPose's
tools/misc/publish_model.py).

    python tools/publish_model.py IN OUT [--save-keys meta state_dict] [--trust-checkpoint]

Keeps only ``--save-keys`` of IN (default ``meta`` and ``state_dict``: no optimizer state, message
hub or schedulers), turns NumPy arrays and scalars in them into lists and numbers, writes OUT and
renames it ``OUT-<first 8 hex digits of its SHA-256>.pth`` as OpenMMLab's model zoos do.

Why not MMPose's script: it reads IN with ``torch.load``'s default, which since torch 2.6 refuses
MMEngine checkpoints (NumPy arrays, the message hub's ``HistoryBuffer``). This one reads IN safely
(no code in the file runs; ``--trust-checkpoint`` for a file that needs more), and the file it
writes holds only tensors and plain Python values, so anyone's ``torch.load`` reads it with
``weights_only=True``, with or without this package.
"""
import argparse
import hashlib
import os
import sys


def plain(value):
    """``value`` with NumPy arrays / scalars (also inside dicts, lists, tuples) made Python's."""
    import numpy as np
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return type(value)((k, plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return type(value)(plain(v) for v in value)
    return value


def publish(in_file, out_file, save_keys=('meta', 'state_dict'), trusted=False):
    """Write the published checkpoint; returns its final path."""
    import torch

    from vitpose_ext.utils.checkpoint import load_checkpoint_file
    checkpoint = load_checkpoint_file(in_file, map_location='cpu', trusted=trusted)
    missing = [k for k in save_keys if k not in checkpoint]
    if missing:
        raise KeyError(f'{in_file} has no {", ".join(missing)} (it has '
                       f'{", ".join(checkpoint)})')
    torch.save({k: plain(checkpoint[k]) for k in save_keys}, out_file)
    with open(out_file, 'rb') as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    final = f'{out_file[:-4] if out_file.endswith(".pth") else out_file}-{sha[:8]}.pth'
    os.replace(out_file, final)
    return final


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('in_file')
    parser.add_argument('out_file')
    parser.add_argument('--save-keys', nargs='+', default=['meta', 'state_dict'])
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='load IN with weights_only=False, which can run code from the file '
                        '(only for files you trust)')
    args = parser.parse_args(argv)
    print(publish(args.in_file, args.out_file, args.save_keys, args.trust_checkpoint))
    return 0


if __name__ == '__main__':
    sys.exit(main())
