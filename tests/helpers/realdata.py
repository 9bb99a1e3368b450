"""Where the real data samples are: ``../shared/realdata`` beside the repository (its README lists
them), or the folder in the environment variable ``VITPOSE_REALDATA``. Tests that read them are
marked ``realdata`` and are skipped, saying why, when the folder is missing."""
import os
import os.path as osp

import pytest

from .common import REPO

REALDATA = os.environ.get('VITPOSE_REALDATA') or osp.normpath(osp.join(REPO, '..', 'shared',
                                                                       'realdata'))


def realdata_path(*parts):
    """A path inside the real-data folder; skips the calling test when the folder is missing."""
    if not osp.isdir(REALDATA):
        pytest.skip(f'no real data at {REALDATA} (set VITPOSE_REALDATA)')
    return osp.join(REALDATA, *parts)
