"""Shared pieces of the checkpoint converters."""
import re

import torch


def unwrap(checkpoint):
    """The state dict inside a checkpoint file's content (``state_dict`` / ``model`` / itself)."""
    for key in ('state_dict', 'model'):
        if isinstance(checkpoint, dict) and isinstance(checkpoint.get(key), dict):
            return checkpoint[key]
    return checkpoint


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


def describe_load(missing, unexpected):
    """A readable summary of ``load_state_dict(strict=False)``'s result."""
    lines = []
    if missing:
        lines.append(f'{len(missing)} missing keys (left at their initial values): '
                     + ', '.join(sorted(missing)))
    if unexpected:
        lines.append(f'{len(unexpected)} unexpected keys (ignored): '
                     + ', '.join(sorted(unexpected)))
    return '\n'.join(lines) or 'all keys matched'


def merge_qkv(state_dict, pattern, qkv_key):
    """Concatenate separate query / key / value tensors (HF layout) into one ``qkv`` tensor.
    ``pattern`` is a regex with a ``{part}`` slot and one group that ``qkv_key`` reuses."""
    out = dict(state_dict)
    regex = re.compile(pattern.format(part='query'))
    for key in [k for k in state_dict if regex.search(k)]:
        parts = [key.replace('query', p) for p in ('query', 'key', 'value')]
        out[regex.sub(qkv_key, key)] = torch.cat([out.pop(p) for p in parts], dim=0)
    return out


def load_into_config_model(state_dict, config):
    """Build the model of the MMPose config file ``config`` (random weights) and load
    ``state_dict`` into it non-strictly: the check a converter's output should pass. Returns
    ``(missing, unexpected)`` key lists; ``describe_load`` formats them."""
    from mmengine.config import Config
    from mmpose.registry import MODELS
    from mmpose.utils import register_all_modules

    import vitpose_ext  # noqa: F401  (register this package's modules)
    register_all_modules()
    model = MODELS.build(Config.fromfile(config).model)
    return model.load_state_dict(state_dict, strict=False)
