"""Exact resume: a run killed in the middle of an epoch (and while writing a checkpoint) and
resumed ends with the same weights, bit for bit, as the uninterrupted run, with the config's real
augmentation, drop path and two persistent data-loader workers."""
import os.path as osp

import pytest
import torch
from mmengine.hooks import Hook
from mmengine.registry import HOOKS
from mmengine.runner import Runner

from helpers.common import REPO, tiny_run_cfg
from vitpose_ext.engine.hooks.epoch_seed_hook import epoch_seed
from vitpose_ext.utils.checkpoint import load_checkpoint_file

CONFIG = osp.join(REPO, 'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py')


class Killed(RuntimeError):
    pass


@HOOKS.register_module(force=True)
class KillAtIteration(Hook):
    def __init__(self, iteration):
        self.iteration = iteration

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        if runner.iter + 1 == self.iteration:
            raise Killed(f'killed after iteration {self.iteration}')


def run_cfg(root, work_dir, hooks=()):
    cfg = tiny_run_cfg(CONFIG, root, work_dir, max_epochs=3)
    loader = cfg.train_dataloader
    loader.num_workers, loader.persistent_workers = 2, True
    cfg.randomness = dict(seed=0, deterministic=True)
    cfg.default_hooks.epoch_seed = dict(type='EpochSeedHook')
    cfg.default_hooks.checkpoint_fallback = dict(type='CheckpointFallbackHook')
    cfg.custom_hooks = list(hooks)
    return cfg


def stop_workers(runner):
    """End the persistent data-loader workers of ``runner``'s training now, as the end of its
    job would. Left to the garbage collector (which may clear the iterator's queues before its
    ``__del__`` signals the workers), each worker's shutdown waits out its 5 s join timeout:
    10-20 s of this test."""
    iterator = runner.train_dataloader._iterator
    if iterator is not None:
        iterator._shutdown_workers()


def weights(path):
    return load_checkpoint_file(str(path))['state_dict']


@pytest.fixture
def deterministic_restored():
    """MMEngine's deterministic=True switches on torch.use_deterministic_algorithms for the whole
    process, which also fills every new tensor (4 GB for a ViT-G built by tests/test_configs.py):
    switched back after the test."""
    before = torch.are_deterministic_algorithms_enabled()
    cudnn = torch.backends.cudnn.benchmark, torch.backends.cudnn.deterministic
    yield
    torch.use_deterministic_algorithms(before)
    torch.backends.cudnn.benchmark, torch.backends.cudnn.deterministic = cudnn


@pytest.mark.slow
@pytest.mark.numerics
def test_killed_mid_epoch_and_resumed_equals_uninterrupted(synth_root, tmp_path,
                                                           deterministic_restored):
    cfg = run_cfg(synth_root, tmp_path / 'full')
    assert cfg.model.backbone.drop_path_rate > 0 and any(
        t['type'] == 'RandomBBoxTransform' for t in cfg.train_dataloader.dataset.pipeline)
    runner = Runner.from_cfg(cfg)
    runner.train()
    stop_workers(runner)
    per_epoch = len(runner.train_dataloader)
    expected = weights(tmp_path / 'full' / 'epoch_3.pth')

    work = tmp_path / 'killed'
    kill = per_epoch + per_epoch // 2 + 1  # the middle of epoch 2
    killed = Runner.from_cfg(run_cfg(synth_root, work, [dict(type='KillAtIteration',
                                                             iteration=kill)]))
    with pytest.raises(Killed):
        killed.train()
    stop_workers(killed)
    assert osp.isfile(work / 'epoch_1.pth') and not osp.isfile(work / 'epoch_2.pth')
    # and a second kill while epoch 2's checkpoint was being written: truncated file, pointer to it
    data = open(work / 'epoch_1.pth', 'rb').read()
    (work / 'epoch_2.pth').write_bytes(data[:len(data) // 2])
    (work / 'last_checkpoint').write_text(str(work / 'epoch_2.pth'))

    cfg = run_cfg(synth_root, work)
    cfg.resume = True
    runner = Runner.from_cfg(cfg)
    runner.train()
    stop_workers(runner)
    log = open(runner.logger.log_file).read()
    assert 'epoch_2.pth is truncated or corrupt: resuming from' in log and 'epoch_1.pth' in log
    resumed = weights(work / 'epoch_3.pth')
    assert resumed.keys() == expected.keys()
    differ = [k for k in expected if not torch.equal(expected[k], resumed[k])]
    assert not differ, f'{len(differ)} of {len(expected)} tensors differ: {differ[:5]}'


def test_epoch_seeds_differ_by_epoch_and_seed():
    seeds = {epoch_seed(s, e) for s in (0, 1) for e in range(50)}
    assert len(seeds) == 100 and all(0 <= s < 2**31 for s in seeds)
