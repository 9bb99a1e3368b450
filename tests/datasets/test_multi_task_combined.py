"""MultiTaskCombinedDataset is MMPose's CombinedDataset reading MMPose's relative metainfo file
from its installed configs, without MMPose's search and its warning."""
import warnings

import pytest
from mmpose.datasets import CombinedDataset

from vitpose_ext.registry import DATASETS

COCO = dict(from_file='configs/_base_/datasets/coco.py')  # MMPose's relative form


def _args(root):
    sub = dict(type='CheckedCocoDataset', data_root=root, data_mode='topdown', test_mode=True,
               ann_file='annotations/person_keypoints_val.json', data_prefix=dict(img='val/'))
    return dict(metainfo=COCO, datasets=[sub, dict(sub)], test_mode=True)


def test_same_data_set_without_the_search_warning(synth_root):
    with pytest.warns(UserWarning, match='The metainfo config file'):  # MMPose's own searches
        stock = CombinedDataset(**_args(synth_root))
    with warnings.catch_warnings():
        warnings.filterwarnings('error', message='The metainfo config file')
        ours = DATASETS.build(dict(type='MultiTaskCombinedDataset', **_args(synth_root)))
    assert ours.metainfo['dataset_name'] == stock.metainfo['dataset_name'] == 'coco'
    assert ours.metainfo['flip_indices'] == stock.metainfo['flip_indices']
    assert len(ours) == len(stock) > 0
    assert [ours[i]['id'] for i in range(len(ours))] == [stock[i]['id'] for i in range(len(stock))]
