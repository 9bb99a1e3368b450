"""Resume from the newest intact checkpoint when the last one is broken."""
import glob
import logging
import os.path as osp
import zipfile

from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner import Runner

from ...registry import HOOKS
from ...utils.checkpoint import CorruptCheckpointError


def is_intact(path: str) -> bool:
    """True when ``path`` is a complete PyTorch zip checkpoint (every member's CRC checks)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.testzip() is None
    except (OSError, zipfile.BadZipFile, EOFError):
        return False


@HOOKS.register_module()
class CheckpointFallbackHook(Hook):
    """With ``resume=True`` and no ``load_from``, MMEngine resumes from the checkpoint named in
    ``work_dir/last_checkpoint``. A run killed while writing leaves that pointer empty, or the
    checkpoint truncated, and resuming fails. Before the run this hook checks both; when one is
    broken it points ``last_checkpoint`` at the newest intact checkpoint of the work directory and
    logs a warning naming both files. If there is none, it raises naming the broken file.
    """

    priority = 'VERY_HIGH'

    def before_run(self, runner: Runner) -> None:
        if not runner.cfg.get('resume') or runner.cfg.get('load_from'):
            return
        pointer = osp.join(runner.work_dir, 'last_checkpoint')
        if not osp.isfile(pointer):
            return  # nothing saved yet: MMEngine starts from scratch
        with open(pointer) as f:
            last = f.read().strip()
        if not last:
            reason = f'{pointer} is empty'
        elif not osp.isfile(last):
            reason = f'{last}, named in {pointer}, does not exist'
        elif not is_intact(last):
            reason = f'{last} is truncated or corrupt'
        else:
            return
        candidates = sorted((p for p in glob.glob(osp.join(runner.work_dir, '*.pth'))
                             if p != last), key=osp.getmtime, reverse=True)
        for candidate in candidates:
            if is_intact(candidate):
                with open(pointer, 'w') as f:
                    f.write(candidate)
                print_log(f'{reason}: resuming from {candidate}, the newest intact checkpoint',
                          'current', logging.WARNING)
                return
        raise CorruptCheckpointError(f'cannot resume in {runner.work_dir}: {reason}, and it '
                                     'holds no other intact checkpoint')
