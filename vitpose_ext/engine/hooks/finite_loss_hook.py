"""Stop training at the first non-finite loss; never write a checkpoint holding NaN or inf."""
import math
from typing import Optional

import torch
from mmengine.hooks import Hook
from mmengine.optim import AmpOptimWrapper
from mmengine.runner import Runner

from ...registry import HOOKS


class NonFiniteLossError(FloatingPointError):
    """A loss term (or the gradient norm) became NaN or infinite."""


def batch_images(data_batch: Optional[dict], limit: int = 8) -> str:
    """'path (annotation id)' of the samples of a batch, the first ``limit`` of them."""
    samples = (data_batch or {}).get('data_samples') or []
    names = [f"{s.metainfo.get('img_path', '?')} (id {s.metainfo.get('id', '?')})"
             for s in samples[:limit]]
    return ', '.join(names) + (f' and {len(samples) - limit} more' if len(samples) > limit else '')


@HOOKS.register_module()
class FiniteLossHook(Hook):
    """Raise :class:`NonFiniteLossError` after the first training iteration whose loss (any term)
    or, without AMP loss scaling, gradient norm is NaN or infinite, naming the iteration, the loss
    terms and the images of the batch; and refuse to save a checkpoint whose weights hold NaN or
    inf (the last update of an epoch can break the weights after its loss was finite). Without
    it, MMEngine logs ``loss: nan`` and trains on, and the checkpoint hook saves NaN weights, as
    "best" too when the metric is not NaN.

    With ``AmpOptimWrapper``'s dynamic loss scaling an infinite gradient norm is expected now and
    then (the step is skipped and the scale lowered), so the gradient norm is not checked there.
    """

    priority = 'VERY_HIGH'  # before the checkpoint hook of iteration-based runs

    def after_train_iter(self, runner: Runner, batch_idx: int, data_batch: Optional[dict] = None,
                         outputs: Optional[dict] = None) -> None:
        terms = {k: float(torch.as_tensor(v).detach()) for k, v in (outputs or {}).items()
                 if isinstance(v, (int, float, torch.Tensor)) and torch.as_tensor(v).numel() == 1}
        bad = [k for k, v in terms.items() if 'loss' in k and not math.isfinite(v)]
        if not isinstance(runner.optim_wrapper, AmpOptimWrapper) and \
                'train/grad_norm' in runner.message_hub.log_scalars:
            grad_norm = runner.message_hub.get_scalar('train/grad_norm').current()
            if not math.isfinite(grad_norm):
                bad.append('grad_norm')
                terms['grad_norm'] = grad_norm
        if bad:
            shown = ', '.join(f'{k}: {v:.4g}' for k, v in terms.items())
            raise NonFiniteLossError(
                f'non-finite {", ".join(bad)} at iteration {runner.iter + 1} (epoch '
                f'{runner.epoch + 1}, batch {batch_idx + 1}); {shown}. Images of the batch: '
                f'{batch_images(data_batch)}. Training stopped before saving these weights: '
                'lower the learning rate, check these images and their annotations, or clip '
                'gradients (optim_wrapper.clip_grad).')

    def before_save_checkpoint(self, runner: Runner, checkpoint: dict) -> None:
        bad = [k for k, v in checkpoint.get('state_dict', {}).items()
               if torch.is_tensor(v) and v.is_floating_point() and not torch.isfinite(v).all()]
        if bad:
            raise NonFiniteLossError(
                f'refusing to save a checkpoint at iteration {runner.iter} (epoch {runner.epoch}): '
                f'{len(bad)} weight tensors hold NaN or inf, e.g. {", ".join(bad[:5])}')
