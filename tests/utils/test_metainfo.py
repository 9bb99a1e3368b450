"""installed_metainfo: this package's data sets and models read MMPose's metainfo files from
MMPose's installed configs, without MMPose's search and its warning."""
import os
import warnings

import pytest
from mmengine.utils import get_installed_path
from mmpose.datasets import CocoDataset

from vitpose_ext.datasets import CheckedCocoDataset, CheckedMpiiDataset
from vitpose_ext.utils.metainfo import installed_metainfo


def test_relative_files_become_the_installed_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # not an MMPose checkout
    found = installed_metainfo(dict(from_file='configs/_base_/datasets/coco.py'))
    assert found['from_file'] == os.path.join(get_installed_path('mmpose'), '.mim', 'configs',
                                              '_base_', 'datasets', 'coco.py')
    for other in (dict(from_file='configs/_base_/datasets/no_such_set.py'),
                  dict(from_file=str(tmp_path / 'mine.py')), dict(dataset_name='x')):
        assert installed_metainfo(other) == other


@pytest.mark.parametrize('cls', [CheckedCocoDataset, CheckedMpiiDataset])
def test_checked_data_sets_load_their_metainfo_without_a_warning(cls, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        meta = cls._load_metainfo()
        CocoDataset._load_metainfo()  # MMPose's own: searches and warns, unchanged
    assert meta['dataset_name'] in ('coco', 'mpii')
    messages = [str(w.message) for w in caught if 'metainfo config file' in str(w.message)]
    assert len(messages) == 1 and 'coco.py' in messages[0], messages
