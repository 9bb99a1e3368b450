"""Fixtures of the real-data tests: the samples of ../shared/realdata laid out as MMPose's data
folder (tools/dataset_converters/link_realdata.py, links into a temporary folder) and the
configs pointed at it by the one switch users have, ``VITPOSE_DATA_ROOT``."""
import os.path as osp
import sys

import pytest
from mmengine.config import Config

from helpers.common import REPO
from helpers.realdata import realdata_path

sys.path.insert(0, osp.join(REPO, 'tools', 'dataset_converters'))
from link_realdata import link_realdata  # noqa: E402


@pytest.fixture(scope='session')
def realdata_root(tmp_path_factory):
    """MMPose's data folder layout (data/coco/annotations/..., data/aic/, ...) of the samples."""
    return link_realdata(realdata_path(), str(tmp_path_factory.mktemp('realdata') / 'data'))


@pytest.fixture
def real_config(realdata_root, monkeypatch):
    """``real_config(path)``: the repository config at ``path`` as MMEngine reads it with
    ``VITPOSE_DATA_ROOT`` set to the laid-out samples."""
    monkeypatch.setenv('VITPOSE_DATA_ROOT', realdata_root)
    return lambda path: Config.fromfile(osp.join(REPO, path))
