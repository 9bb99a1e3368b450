"""Where the real data samples are: ``../shared/realdata`` beside the repository (its README lists
them), or the folder in the environment variable ``VITPOSE_REALDATA``. Tests that read them are
marked ``realdata`` and are skipped, saying why, when the folder is missing."""
import os
import os.path as osp

import numpy as np
import pytest

from .common import REPO

REALDATA = os.environ.get('VITPOSE_REALDATA') or osp.normpath(osp.join(REPO, '..', 'shared',
                                                                       'realdata'))


def realdata_path(*parts):
    """A path inside the real-data folder; skips the calling test when the folder is missing."""
    if not osp.isdir(REALDATA):
        pytest.skip(f'no real data at {REALDATA} (set VITPOSE_REALDATA)')
    return osp.join(REALDATA, *parts)


def coco_image(folder, image_id):
    """Path of a COCO image in ``folder`` by its id."""
    return osp.join(folder, f'{image_id:012d}.jpg')


def some_boxes(boxes, image_id, count=8):
    """The first ``count`` boxes of an image (tests that need only a few persons)."""
    return np.ascontiguousarray(boxes[image_id][:count])
