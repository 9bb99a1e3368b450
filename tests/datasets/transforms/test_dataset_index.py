import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpose.registry import DATA_SAMPLERS, DATASETS, TRANSFORMS

import vitpose_ext  # noqa: F401
from config_utils import set_data_root
from helpers.common import REPO
from vitpose_ext.datasets.transforms import SetDatasetIndex

SHARED_CONFIG = osp.join(REPO, 'projects/vitpose_pp_synthetic/configs/'
                         'td-hm_vitpose-pp-tiny-shared_1xb32-30e_synthcoco-synthquadruped-64x64.py')


def test_sets_the_index_and_survives_keypoint_conversion():
    init_default_scope('mmpose')
    results = dict(keypoints=np.random.rand(2, 17, 2), keypoints_visible=np.ones((2, 17)),
                   flip_indices=list(range(17)))
    pipeline = [TRANSFORMS.build(dict(type='SetDatasetIndex', dataset_idx=3)),
                TRANSFORMS.build(dict(type='KeypointConverter', num_keypoints=14,
                                      mapping=[(i, i) for i in range(14)]))]
    for transform in pipeline:
        results = transform(results)
    assert results['dataset_idx'] == 3 and results['keypoints'].shape == (2, 14, 2)
    assert repr(pipeline[0]) == 'SetDatasetIndex(dataset_idx=3)'


@pytest.mark.parametrize('value', [-1, 1.0, True, None])
def test_invalid_index(value):
    with pytest.raises(ValueError, match='SetDatasetIndex'):
        SetDatasetIndex(value)


def test_combined_dataset_keeps_each_samples_index_and_batches_mix(synth_root,
                                                                   synth_quadruped_root):
    init_default_scope('mmpose')
    cfg = set_data_root(Config.fromfile(SHARED_CONFIG), [synth_root, synth_quadruped_root])
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    sampler = DATA_SAMPLERS.build(dict(cfg.train_dataloader.sampler, batch_size=8, seed=0),
                                  default_args=dict(dataset=dataset))
    order = list(iter(sampler))
    assert len(order) >= 16
    for start in (0, 8):
        samples = [dataset[i]['data_samples'] for i in order[start:start + 8]]
        assert sorted(s.metainfo['dataset_idx'] for s in samples) == [0] * 4 + [1] * 4
        for s in samples:
            assert s.metainfo['dataset_name'] == ('coco', 'ap10k')[s.metainfo['dataset_idx']]
    val = DATASETS.build(cfg.val_dataloader.dataset)
    assert {val[i]['data_samples'].metainfo['dataset_idx'] for i in range(len(val))} == {0, 1}
