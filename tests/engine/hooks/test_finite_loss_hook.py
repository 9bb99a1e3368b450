"""FiniteLossHook: a diverging run stops at the first non-finite loss, names the iteration, the
loss terms and the images, and leaves no checkpoint; NaN weights are never saved."""
import glob
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.runner import Runner

from helpers.common import REPO, tiny_run_cfg
from vitpose_ext.engine.hooks import FiniteLossHook, NonFiniteLossError

CONFIG = osp.join(REPO, 'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py')


@pytest.mark.slow
def test_a_diverging_run_stops_with_the_culprits_named(synth_root, tmp_path):
    cfg = tiny_run_cfg(CONFIG, synth_root, tmp_path, max_epochs=2)
    cfg.optim_wrapper.optimizer.lr = 1e10
    cfg.optim_wrapper.pop('clip_grad', None)
    cfg.default_hooks.checkpoint.update(save_best='coco/AP', rule='greater')
    cfg.default_hooks.finite_loss = dict(type='FiniteLossHook')
    with pytest.raises(NonFiniteLossError) as info:
        Runner.from_cfg(cfg).train()
    message = str(info.value)
    assert 'at iteration ' in message and 'loss_kpt: nan' in message.lower()
    assert '.jpg (id ' in message or '.png (id ' in message
    assert not glob.glob(str(tmp_path / '*.pth'))  # neither a NaN epoch nor a NaN "best"


def test_nan_weights_are_never_saved():
    runner = SimpleNamespace(iter=7, epoch=1)
    state = {'a.weight': torch.ones(2), 'b.bias': torch.tensor([0.0, float('nan')]),
             'c.num_batches_tracked': torch.tensor(3)}
    with pytest.raises(NonFiniteLossError, match='b.bias'):
        FiniteLossHook().before_save_checkpoint(runner, {'state_dict': state})
    state['b.bias'] = torch.zeros(2)
    FiniteLossHook().before_save_checkpoint(runner, {'state_dict': state})
