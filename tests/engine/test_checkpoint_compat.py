import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader, _load_checkpoint

import vitpose_ext  # noqa: F401  (applies the patch)
from vitpose_ext.engine.checkpoint_compat import load_local_checkpoint, needs_patch


@pytest.fixture
def mmengine_style_checkpoint(tmp_path):
    # what MMEngine's runner writes besides tensors: NumPy data and the message hub's buffers
    buffer = HistoryBuffer()
    buffer.update(1.0)
    buffer.update(2.0)
    ckpt = dict(state_dict={'w': torch.ones(2)},
                meta=dict(epoch=1, dataset_meta=dict(sigmas=np.ones(17, np.float32))),
                message_hub=dict(log_scalars={'loss': buffer}))
    path = tmp_path / 'epoch_1.pth'
    torch.save(ckpt, path)
    return str(path)


@pytest.mark.skipif(not needs_patch(), reason='torch < 2.6 loads everything by default')
def test_plain_torch_load_fails_on_such_checkpoints(mmengine_style_checkpoint):
    # the reason for the patch: torch's default (weights_only=True) rejects these files
    with pytest.raises(Exception, match='(?i)weights_only'):
        torch.load(mmengine_style_checkpoint)


def test_local_scheme_loads_them(mmengine_style_checkpoint):
    assert CheckpointLoader._get_checkpoint_loader('/x/y.pth') is load_local_checkpoint
    ckpt = _load_checkpoint(mmengine_style_checkpoint, map_location='cpu')
    assert torch.equal(ckpt['state_dict']['w'], torch.ones(2))
    assert ckpt['message_hub']['log_scalars']['loss'].current() == 2.0


def test_unrelated_errors_still_raise(tmp_path):
    with pytest.raises(FileNotFoundError):
        _load_checkpoint(str(tmp_path / 'missing.pth'))
    bad = tmp_path / 'corrupt.pth'
    bad.write_bytes(b'not a checkpoint')
    with pytest.raises(Exception) as info:
        _load_checkpoint(str(bad))
    assert not isinstance(info.value, FileNotFoundError)


def test_remote_schemes_untouched():
    assert CheckpointLoader._get_checkpoint_loader('https://x/y.pth') is not load_local_checkpoint
