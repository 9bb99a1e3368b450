"""CheckpointFallbackHook: a broken last_checkpoint falls back to the newest intact checkpoint,
or fails naming the broken file."""
import os
from types import SimpleNamespace

import pytest
import torch

from vitpose_ext.engine.hooks import CheckpointFallbackHook
from vitpose_ext.utils.checkpoint import CorruptCheckpointError


def runner(work_dir, resume=True, load_from=None):
    return SimpleNamespace(cfg=dict(resume=resume, load_from=load_from), work_dir=str(work_dir))


@pytest.fixture
def work_dir(tmp_path):
    for epoch in (1, 2):
        torch.save({'state_dict': {'w': torch.ones(3) * epoch}}, tmp_path / f'epoch_{epoch}.pth')
        os.utime(tmp_path / f'epoch_{epoch}.pth', (epoch, epoch))  # epoch 2 is the newest
    return tmp_path


@pytest.mark.parametrize('pointer,broken', [('', 'is empty'), ('missing.pth', 'does not exist'),
                                            ('epoch_3.pth', 'truncated')])
def test_broken_pointer_falls_back_to_the_newest_intact_checkpoint(work_dir, pointer, broken):
    (work_dir / 'epoch_3.pth').write_bytes((work_dir / 'epoch_2.pth').read_bytes()[:100])
    (work_dir / 'last_checkpoint').write_text(str(work_dir / pointer) if pointer else '')
    CheckpointFallbackHook().before_run(runner(work_dir))
    assert (work_dir / 'last_checkpoint').read_text() == str(work_dir / 'epoch_2.pth')


def test_an_intact_pointer_and_other_runs_are_left_alone(work_dir):
    (work_dir / 'last_checkpoint').write_text(str(work_dir / 'epoch_1.pth'))
    for r in (runner(work_dir), runner(work_dir, resume=False),
              runner(work_dir, load_from='x.pth')):
        CheckpointFallbackHook().before_run(r)
        assert (work_dir / 'last_checkpoint').read_text() == str(work_dir / 'epoch_1.pth')


def test_no_intact_checkpoint_is_an_error_naming_the_file(tmp_path):
    (tmp_path / 'epoch_1.pth').write_bytes(b'')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_1.pth'))
    with pytest.raises(CorruptCheckpointError, match='epoch_1.pth is truncated'):
        CheckpointFallbackHook().before_run(runner(tmp_path))
