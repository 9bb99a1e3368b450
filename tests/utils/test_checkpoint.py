"""Safe checkpoint loading: MMEngine's checkpoints and plain data (also empty arrays, buffers and
bytes) load, a pickle that would run code is refused on every path that reads checkpoints (and
its code never runs), trusted files load with a warning, broken files are named."""
import logging
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.hooks import Hook
from mmengine.logging import HistoryBuffer
from mmengine.registry import HOOKS, init_default_scope
from mmengine.runner import Runner, load_checkpoint
from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint

import vitpose_ext  # noqa: F401  (makes the safe loader MMEngine's)
from helpers.common import REPO, captured_log, tiny_run_cfg, tiny_vitpose_cfg
from mmpose.registry import MODELS
from vitpose_ext.utils.checkpoint import (TRUST_ENV, CorruptCheckpointError,
                                          UnsafeCheckpointError, load_checkpoint_file,
                                          load_frozen)

CONFIG = osp.join(REPO, 'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py')


class Payload:
    """Unpickling this opens (creates) ``path``: the stand-in for any code a file could run."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return open, (self.path, 'w')


class GetattrPayload:
    """getattr(HistoryBuffer, '__init__'): a getattr MMEngine checkpoints never use."""

    def __reduce__(self):
        return getattr, (HistoryBuffer, '__init__')


@pytest.fixture
def mmengine_style_checkpoint(tmp_path):
    # what MMEngine's runner writes besides tensors: NumPy data and the message hub's buffers
    buffer = HistoryBuffer()
    buffer.update(1.0)
    buffer.update(2.0)
    ckpt = dict(state_dict={'w': torch.ones(2)},
                meta=dict(epoch=1, seed=np.int64(3),
                          dataset_meta=dict(sigmas=np.ones(17, np.float32))),
                message_hub=dict(log_scalars={'loss': buffer}))
    path = tmp_path / 'epoch_1.pth'
    torch.save(ckpt, path)
    return str(path)


@pytest.fixture
def malicious(tmp_path):
    """A checkpoint of the tiny synthetic ViTPose whose pickle also carries a payload."""
    marker = tmp_path / 'payload_ran'
    init_default_scope('mmpose')
    model = MODELS.build(tiny_vitpose_cfg())
    path = tmp_path / 'malicious.pth'
    torch.save({'state_dict': model.state_dict(), 'meta': {'note': Payload(str(marker))}}, path)
    return str(path), marker


def test_plain_torch_load_refuses_mmengine_checkpoints(mmengine_style_checkpoint):
    # why a loader is needed at all: torch's default (weights_only=True) rejects these files
    with pytest.raises(Exception, match='(?i)weights_only'):
        torch.load(mmengine_style_checkpoint)


def test_mmengine_checkpoints_load_safely(mmengine_style_checkpoint):
    for ckpt in (load_checkpoint_file(mmengine_style_checkpoint),
                 _load_checkpoint(mmengine_style_checkpoint, map_location='cpu')):
        assert torch.equal(ckpt['state_dict']['w'], torch.ones(2))
        assert ckpt['message_hub']['log_scalars']['loss'].current() == 2.0
        assert ckpt['message_hub']['log_scalars']['loss'].mean() == 1.5
        assert ckpt['meta']['seed'] == 3


def assert_refused(exc_info, path, marker):
    message = str(exc_info.value)
    assert path in message and 'io.open' in message and TRUST_ENV in message, message
    assert not marker.exists(), 'the payload ran'


def test_refused_by_the_loader_and_mmengine_load_checkpoint(malicious):
    path, marker = malicious
    with pytest.raises(UnsafeCheckpointError) as info:
        load_checkpoint_file(path)
    assert_refused(info, path, marker)
    with pytest.raises(UnsafeCheckpointError) as info:
        load_checkpoint(MODELS.build(tiny_vitpose_cfg()), path)
    assert_refused(info, path, marker)


@pytest.mark.slow
def test_refused_as_load_from_resume_and_pretrained_backbone(malicious, synth_root, tmp_path):
    path, marker = malicious
    cfg = tiny_run_cfg(CONFIG, synth_root, tmp_path / 'load_from')
    cfg.load_from = path
    with pytest.raises(UnsafeCheckpointError) as info:
        Runner.from_cfg(cfg).test()
    assert_refused(info, path, marker)

    cfg = tiny_run_cfg(CONFIG, synth_root, tmp_path / 'resume')
    cfg.resume, cfg.load_from = True, path
    with pytest.raises(UnsafeCheckpointError) as info:
        Runner.from_cfg(cfg).train()
    assert_refused(info, path, marker)

    model_cfg = tiny_vitpose_cfg()
    model_cfg['backbone']['init_cfg'] = dict(type='Pretrained', checkpoint=path,
                                             prefix='backbone.')
    with pytest.raises(UnsafeCheckpointError) as info:
        MODELS.build(model_cfg).init_weights()
    assert_refused(info, path, marker)


@pytest.mark.slow
def test_refused_by_mmpose_init_model(malicious):
    from mmpose.apis import init_model
    path, marker = malicious
    with pytest.raises(UnsafeCheckpointError) as info:
        init_model(CONFIG, path, device='cpu')
    assert_refused(info, path, marker)


@pytest.mark.slow
@pytest.mark.parametrize('tool,args', [
    ('tools/convert_checkpoint.py', ['--format', 'official']),
    ('tools/merge_experts.py', ['--dataset-idx', '0']),
])
def test_refused_by_the_tools(tool, args, malicious, tmp_path):
    path, marker = malicious
    out = subprocess.run([sys.executable, osp.join(REPO, tool), path, str(tmp_path / 'out.pth')]
                         + args, capture_output=True, text=True, cwd=REPO)
    assert out.returncode != 0
    assert 'UnsafeCheckpointError' in out.stderr and path in out.stderr and '--trust-checkpoint' \
        in out.stderr
    assert not marker.exists() and not (tmp_path / 'out.pth').exists()


@pytest.mark.slow
def test_the_tools_load_a_trusted_file(malicious, tmp_path):
    path, marker = malicious
    out = subprocess.run([sys.executable, osp.join(REPO, 'tools/convert_checkpoint.py'), path,
                          str(tmp_path / 'out.pth'), '--format', 'official',
                          '--trust-checkpoint'], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    assert marker.exists() and load_checkpoint_file(str(tmp_path / 'out.pth'))['state_dict']


class Call:
    """Unpickling this calls ``func(*args)``."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


@pytest.mark.parametrize('value', [
    np.zeros(0, np.float32), np.zeros((0, 3), np.int64), np.array([], dtype='<U3'), b'', b'abc',
    dict(log_scalars={'train/loss': HistoryBuffer()}),  # a message hub before its first update
], ids=['empty-float-array', 'empty-int-array', 'empty-str-array', 'empty-bytes', 'bytes',
        'empty-history-buffer'])
def test_plain_data_loads(value, tmp_path):
    # protocol-2 pickles (torch.save's) spell b'' as bytes(), the data of any empty array
    path = str(tmp_path / 'data.pth')
    torch.save({'meta': value}, path)
    loaded = load_checkpoint_file(path)['meta']
    if isinstance(value, np.ndarray):
        assert loaded.dtype == value.dtype and loaded.shape == value.shape
    elif isinstance(value, dict):
        buffer = loaded['log_scalars']['train/loss']
        assert isinstance(buffer, HistoryBuffer) and len(buffer.data[0]) == 0
        buffer.update(2.0)  # a working buffer
        assert buffer.current() == 2.0
    else:
        assert loaded == value


@pytest.mark.parametrize('payload', [
    lambda marker: Call(exec, f'open({marker!r}, "w")'),
    lambda marker: Call(eval, f'open({marker!r}, "w")'),
    lambda marker: Call(os.system, f'touch {marker}'),
    lambda marker: Call(subprocess.Popen, ['touch', marker]),
    lambda marker: Call(getattr, np.ndarray, 'tofile'),  # a method of an allowed class
    lambda marker: Call(bytes, 10**10),  # 10 GB: not code, but not plain data either
], ids=['exec', 'eval', 'os.system', 'subprocess', 'getattr', 'bytes-with-argument'])
def test_code_is_still_refused(payload, tmp_path):
    marker = str(tmp_path / 'payload_ran')
    path = str(tmp_path / 'code.pth')
    torch.save({'state_dict': {'w': torch.ones(1)}, 'meta': payload(marker)}, path)
    with pytest.raises(UnsafeCheckpointError, match='refused to load'):
        load_checkpoint_file(path)
    assert not osp.exists(marker), 'the payload ran'


@HOOKS.register_module(force=True)
class SaveBeforeTraining(Hook):
    """Save a checkpoint named ``name`` where training starts: before its first iteration, after
    a resume has restored the message hub."""

    def __init__(self, name):
        self.name = name

    def before_train(self, runner):
        runner.save_checkpoint(runner.work_dir, self.name)


@pytest.mark.slow
def test_the_runners_checkpoints_at_iteration_0_and_after_resume_load(synth_root, tmp_path):
    cfg = tiny_run_cfg(CONFIG, synth_root, tmp_path)
    cfg.custom_hooks.append(dict(type='SaveBeforeTraining', name='iter_0.pth'))
    Runner.from_cfg(cfg).train()
    cfg = tiny_run_cfg(CONFIG, synth_root, tmp_path, max_epochs=2)
    cfg.resume = True
    cfg.custom_hooks.append(dict(type='SaveBeforeTraining', name='resumed.pth'))
    Runner.from_cfg(cfg).train()
    first = load_checkpoint_file(str(tmp_path / 'iter_0.pth'))
    assert first['meta']['iter'] == 0
    resumed = load_checkpoint_file(str(tmp_path / 'resumed.pth'))
    assert resumed['meta']['iter'] > 0  # saved after the resume, before epoch 2's first step
    assert len(resumed['message_hub']['log_scalars']['train/loss'].data[0]) == resumed['meta'][
        'iter']  # the restored loss history of epoch 1
    assert load_checkpoint_file(str(tmp_path / 'epoch_2.pth'))['meta']['epoch'] == 2


def test_a_getattr_outside_the_message_hub_is_refused(tmp_path):
    path = str(tmp_path / 'getattr.pth')
    torch.save({'x': GetattrPayload()}, path)
    with pytest.raises(UnsafeCheckpointError, match='not allowed'):
        load_checkpoint_file(path)


def test_trusted_files_load_with_a_warning_naming_them(malicious, monkeypatch):
    path, marker = malicious
    monkeypatch.setenv(TRUST_ENV, osp.dirname(path) + '/other.pth')  # another file: still refused
    with pytest.raises(UnsafeCheckpointError):
        load_checkpoint_file(path)
    monkeypatch.setenv(TRUST_ENV, path)
    with captured_log() as records:
        ckpt = load_checkpoint_file(path)
    assert 'state_dict' in ckpt and marker.exists()  # the trusted file ran its code
    assert any(path in r.getMessage() and r.levelno == logging.WARNING for r in records)


def test_empty_truncated_and_missing_files_are_named(mmengine_style_checkpoint, tmp_path):
    empty = tmp_path / 'empty.pth'
    empty.write_bytes(b'')
    truncated = tmp_path / 'truncated.pth'
    truncated.write_bytes(open(mmengine_style_checkpoint, 'rb').read()[:300])
    for path in (empty, truncated):
        with pytest.raises(CorruptCheckpointError, match=str(path)):
            load_checkpoint_file(str(path))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        load_checkpoint_file(str(tmp_path / 'missing.pth'))


def test_remote_schemes_keep_mmengine_loaders():
    local = CheckpointLoader._get_checkpoint_loader('/x/y.pth')
    assert local.__module__ == 'vitpose_ext.utils.checkpoint'
    assert CheckpointLoader._get_checkpoint_loader('https://x/y.pth').__module__.startswith(
        'mmengine')


@pytest.mark.slow
def test_published_checkpoints_load_anywhere(synth_root, tmp_path):
    """tools/publish_model.py on a checkpoint the runner wrote: plain torch.load (weights_only)
    reads the result, MMPose's init_model builds the model from it with the same weights."""
    from mmpose.apis import init_model
    cfg = tiny_run_cfg(CONFIG, synth_root, tmp_path)
    Runner.from_cfg(cfg).train()
    out = subprocess.run([sys.executable, osp.join(REPO, 'tools/publish_model.py'),
                          str(tmp_path / 'epoch_1.pth'), str(tmp_path / 'vitpose-tiny.pth')],
                         capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr
    published = out.stdout.strip().splitlines()[-1]
    assert osp.basename(published).startswith('vitpose-tiny-') and published.endswith('.pth')
    plain = torch.load(published, weights_only=True)  # no allow-list needed
    assert set(plain) == {'meta', 'state_dict'}
    assert isinstance(plain['meta']['dataset_meta']['sigmas'], list)
    trained = load_checkpoint_file(str(tmp_path / 'epoch_1.pth'))['state_dict']
    model = init_model(CONFIG, published, device='cpu')
    for name, value in model.state_dict().items():
        assert torch.equal(value, trained[name]), name
    assert model.dataset_meta['num_keypoints'] == 17


def test_load_frozen_loads_strictly_under_the_first_prefix_and_freezes(tmp_path):
    part = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Dropout())
    part.register_parameter('token', torch.nn.Parameter(torch.zeros(1)))  # learned, not loaded
    weights = {'0.weight': torch.ones(3, 2), '0.bias': torch.full((3,), 2.0)}
    path = str(tmp_path / 'frozen.pth')
    torch.save({'state_dict': {**{'part.' + k: v for k, v in weights.items()},
                               'other.w': torch.zeros(1)}}, path)
    with captured_log() as records:
        state = load_frozen('Owner', part, path, prefixes=('missing.', 'part.'), skip=('token',))
    assert set(state) == {'part.0.weight', 'part.0.bias', 'other.w'}  # the whole file's
    assert torch.equal(part[0].weight, weights['0.weight'])
    assert torch.equal(part[0].bias, weights['0.bias'])
    assert [n for n, p in part.named_parameters() if p.requires_grad] == ['token']
    assert not any(m.training for m in part.modules())
    assert records[-1].getMessage() == f'Owner: loaded the frozen weights (2 tensors) from {path}'
    with pytest.raises(ValueError, match=r'Owner: .*frozen\.pth has no weights under a\.\*'):
        load_frozen('Owner', part, path, prefixes=('a.',))
    with pytest.raises(ValueError, match=r'(?s)Owner: .*frozen\.pth does not fit .*unexpected '
                                         r'keys.*other\.w'):
        load_frozen('Owner', part, path, skip=('token',))  # the whole file, prefix ''
    with pytest.raises(ValueError, match=r'Owner: .*missing keys .*token'):
        load_frozen('Owner', part, path, prefixes=('part.',))
    assert load_frozen('Owner', part, None) is None  # no checkpoint: a warning, nothing loaded


def test_load_frozen_takes_a_swin_v2_whose_load_hook_rebuilds_buffers(tmp_path):
    """mmpretrain's SwinTransformerV2 drops its relative-position buffers from any state dict it
    loads and rebuilds them; a file with every key still fits, one without a weight does not."""
    from mmengine.registry import init_default_scope
    from mmpose.registry import MODELS

    init_default_scope('mmpose')
    cfg = dict(type='mmpretrain.SwinTransformerV2', arch=dict(embed_dims=16, depths=[1, 1],
               num_heads=[1, 2], extra_norm_every_n_blocks=0), img_size=32, window_size=[4, 2], out_indices=(1, ))
    trained, frozen = MODELS.build(cfg), MODELS.build(cfg)
    state = {'backbone.' + k: v + 0.5 if v.is_floating_point() else v
             for k, v in trained.state_dict().items()}
    path = str(tmp_path / 'swin.pth')
    torch.save({'state_dict': state}, path)
    load_frozen('Owner', frozen, path, prefixes=('backbone.', ''))
    for k, v in frozen.state_dict().items():
        if 'relative_' not in k:
            assert torch.equal(v, state['backbone.' + k]), k
    del state['backbone.patch_embed.projection.weight']
    torch.save({'state_dict': state}, path)
    with pytest.raises(ValueError, match=r'missing keys .*patch_embed\.projection\.weight'):
        load_frozen('Owner', MODELS.build(cfg), path, prefixes=('backbone.', ''))
