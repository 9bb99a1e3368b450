"""MultiTaskCombinedDataset is MMPose's CombinedDataset with COCO's metainfo by default, read
from MMPose's installed configs, as is a metainfo given in MMPose's relative form: without
MMPose's search and its warning, also where MMPose's inferencer reads the metainfo of a config."""
import os.path as osp
import warnings

import pytest
from mmengine.config import Config
from mmpose.apis.inference import dataset_meta_from_config
from mmpose.datasets import CombinedDataset

from helpers.common import REPO
from vitpose_ext.registry import DATASETS

COCO = dict(from_file='configs/_base_/datasets/coco.py')  # MMPose's relative form
SEARCH = 'The metainfo config file'  # MMPose's warning when it searches for such a file


def _datasets(root):
    sub = dict(type='CheckedCocoDataset', data_root=root, data_mode='topdown', test_mode=True,
               ann_file='annotations/person_keypoints_val.json', data_prefix=dict(img='val/'))
    return [sub, dict(sub)]


@pytest.mark.parametrize('metainfo', [COCO, None], ids=['relative-coco', 'default'])
def test_same_data_set_without_the_search_warning(metainfo, synth_root):
    with pytest.warns(UserWarning, match=SEARCH):  # MMPose's own searches
        stock = CombinedDataset(COCO, _datasets(synth_root), test_mode=True)
    given = {} if metainfo is None else dict(metainfo=metainfo)
    with warnings.catch_warnings():
        warnings.filterwarnings('error', message=SEARCH)
        ours = DATASETS.build(dict(type='MultiTaskCombinedDataset', datasets=_datasets(synth_root),
                                   test_mode=True, **given))
    assert ours.metainfo['dataset_name'] == stock.metainfo['dataset_name'] == 'coco'
    assert ours.metainfo['flip_indices'] == stock.metainfo['flip_indices']
    assert len(ours) == len(stock) > 0
    assert [ours[i]['id'] for i in range(len(ours))] == [stock[i]['id'] for i in range(len(stock))]


def test_the_inferencer_reads_the_vitpose_pp_metainfo_without_a_search():
    """MMPose's inferencer takes the metainfo of the config's test set for a checkpoint without
    ``dataset_meta`` (a converted or merged one): COCO's, no warning."""
    cfg = Config.fromfile(osp.join(
        REPO, 'configs/vitpose_pp/'
        'td-hm_vitpose-pp-b_8xb128-210e_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py'))
    with warnings.catch_warnings():
        warnings.filterwarnings('error', message=SEARCH)
        meta = dataset_meta_from_config(cfg, 'test')
    assert meta['dataset_name'] == 'coco' and meta['num_keypoints'] == 17
