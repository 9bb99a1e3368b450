"""Shared pieces of the checkpoint converters."""
import re

import torch


def rename(state_dict, rules):
    """Apply regex ``rules`` [(pattern, replacement), ...] to every key, in order; a rule whose
    replacement is None drops the matching keys."""
    out = {}
    for key, value in state_dict.items():
        for pattern, repl in rules:
            if re.search(pattern, key):
                if repl is None:
                    key = None
                    break
                key = re.sub(pattern, repl, key)
        if key is not None:
            out[key] = value
    return out


def fold_cls_pos(pos_embed):
    """(1, 1 + N, C) -> (1, N, C) with the class-token position added to every patch position,
    as the ViTPose release does at run time."""
    return pos_embed[:, 1:] + pos_embed[:, :1]


def merge_qkv(state_dict, pattern, qkv_key):
    """Concatenate separate query / key / value tensors (HF layout) into one ``qkv`` tensor.
    ``pattern`` is a regex with a ``{part}`` slot and one group that ``qkv_key`` reuses."""
    out = dict(state_dict)
    regex = re.compile(pattern.format(part='query'))
    for key in [k for k in state_dict if regex.search(k)]:
        parts = [key.replace('query', p) for p in ('query', 'key', 'value')]
        out[regex.sub(qkv_key, key)] = torch.cat([out.pop(p) for p in parts], dim=0)
    return out
