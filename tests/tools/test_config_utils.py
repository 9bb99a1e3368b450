"""tools/analysis_tools/config_utils.py, set_data_root: every dataloader and evaluator annotation
file moves to the new root(s), one root per sub-data set of a CombinedDataset.
(shrink_for_smoke_run runs in every runner test.)"""
import os.path as osp

import pytest
from mmengine.config import Config

from config_utils import set_data_root
from helpers.common import BASELINE_CONFIG, REPO

SHARED_CONFIG = osp.join(REPO, 'projects/vitpose_pp_synthetic/configs/'
                         'td-hm_vitpose-pp-tiny-shared_1xb32-30e_synthcoco-synthquadruped-64x64.py')
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def test_moves_every_dataloader_and_evaluator():
    cfg = Config.fromfile(BASELINE_CONFIG)
    assert cfg.train_dataloader.dataset.data_root == 'data/synth_coco/'
    assert set_data_root(cfg, '/new/root') is cfg  # in place
    for key in LOADERS:
        assert cfg[key].dataset.data_root == '/new/root'
        assert cfg[key].dataset.ann_file.startswith('annotations/')  # relative: unchanged
    for key in ('val_evaluator', 'test_evaluator'):
        assert cfg[key].ann_file == '/new/root/annotations/person_keypoints_val.json'


def test_combined_dataset_gets_one_root_per_data_set_and_metrics_follow_theirs():
    cfg = set_data_root(Config.fromfile(SHARED_CONFIG), ['/people', '/animals'])
    for key in LOADERS:
        assert [d.data_root for d in cfg[key].dataset.datasets] == ['/people', '/animals']
    for key in ('val_evaluator', 'test_evaluator'):
        assert [m.ann_file for m in cfg[key].metrics] == [
            '/people/annotations/person_keypoints_val.json',
            '/animals/annotations/quadruped_keypoints_val.json']


def test_an_annotation_file_elsewhere_stays():
    cfg = Config.fromfile(BASELINE_CONFIG)
    cfg.test_evaluator.ann_file = '/elsewhere/person_keypoints_val.json'
    set_data_root(cfg, '/new/root')
    assert cfg.test_evaluator.ann_file == '/elsewhere/person_keypoints_val.json'
    assert cfg.val_evaluator.ann_file == '/new/root/annotations/person_keypoints_val.json'


def test_needs_one_root_per_data_set():
    with pytest.raises(ValueError, match='set_data_root: 1 roots for 2 data sets'):
        set_data_root(Config.fromfile(SHARED_CONFIG), '/one/root')
    with pytest.raises(ValueError, match='set_data_root: 2 roots for 1 data sets'):
        set_data_root(Config.fromfile(BASELINE_CONFIG), ['/a', '/b'])
