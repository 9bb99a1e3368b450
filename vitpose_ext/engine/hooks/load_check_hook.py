"""Refuse a ``load_from`` / ``resume`` checkpoint that does not fit the model."""
import re
from typing import List, Mapping, Tuple

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from torch import nn

from ...registry import HOOKS


def fit(model: nn.Module, state_dict: Mapping) -> Tuple[List[str], List[str], List[str]]:
    """Load ``state_dict`` into ``model`` as MMEngine does (non-strictly, through the modules'
    load hooks) and return (missing, unexpected, mismatched) key lists. Parameters that the model
    does not save (e.g. a frozen teacher) are not counted as missing."""
    missing, unexpected, errors = [], [], []
    state_dict = dict(state_dict)

    def load(module, prefix=''):
        module._load_from_state_dict(state_dict, prefix, {}, True, missing, unexpected, errors)
        for name, child in module._modules.items():
            if child is not None:
                load(child, prefix + name + '.')

    load(model)
    saved = set(model.state_dict())
    missing = [k for k in missing if k in saved and not k.endswith('num_batches_tracked')]
    mismatched = [m.split('\n')[0] for m in errors if 'size mismatch' in m]
    return missing, unexpected, mismatched


@HOOKS.register_module()
class LoadCheckHook(Hook):
    """MMEngine loads ``load_from`` (and resumed) checkpoints non-strictly and prints what did not
    fit to the console only, so a checkpoint of another architecture trains on from partly random
    weights with exit status 0. This hook checks the checkpoint against the model first, writes
    every missing, unexpected and size-mismatched key into the run's log and raises unless
    ``allow_partial=True`` (``default_hooks=dict(load_check=dict(allow_partial=True))``), for
    fine-tuning from a checkpoint of another head or data set on purpose.
    """

    priority = 'VERY_HIGH'

    def __init__(self, allow_partial: bool = False) -> None:
        self.allow_partial = allow_partial

    def after_load_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        state = checkpoint.get('state_dict', checkpoint)
        state = {re.sub(r'^module\.', '', k): v for k, v in state.items()}
        missing, unexpected, mismatched = fit(model, state)
        if not (missing or unexpected or mismatched):
            return
        source = runner.cfg.get('load_from') or 'the resumed checkpoint'
        report = '\n'.join(f'  {title} ({len(keys)}): {", ".join(keys)}' for title, keys in (
            ('size mismatch', mismatched), ('missing in the checkpoint', missing),
            ('not in the model', unexpected)) if keys)
        message = f'{source} does not fit the model:\n{report}'
        if self.allow_partial:
            runner.logger.warning(message + '\n(loaded the rest: allow_partial=True)')
            return
        runner.logger.error(message)
        raise ValueError(message + '\nTo load only the parts that fit, set default_hooks = '
                         'dict(load_check=dict(allow_partial=True)) in the config.')
