"""APT36KDataset is AP-10K (keypoints, flip pairs, OKS sigmas, annotation parsing) under the name
'apt36k', which MultiDatasetEvaluator routes by."""
import numpy as np
from mmpose.datasets import AP10KDataset
from mmpose.datasets.datasets.utils import parse_pose_metainfo

from vitpose_ext.datasets import APT36KDataset
from vitpose_ext.registry import DATASETS


def test_apt36k_is_ap10k_under_its_own_name():
    meta = APT36KDataset._load_metainfo()
    ap10k = parse_pose_metainfo(dict(from_file='configs/_base_/datasets/ap10k.py'))
    assert meta['dataset_name'] == 'apt36k'
    assert meta['flip_indices'] == ap10k['flip_indices']
    np.testing.assert_array_equal(meta['sigmas'], ap10k['sigmas'])


def test_reads_ap10k_annotations_as_ap10k_does(synth_quadruped_root):
    args = dict(data_root=synth_quadruped_root, ann_file='annotations/quadruped_keypoints_val.json',
                data_prefix=dict(img='val/'), test_mode=True)
    ours = DATASETS.build(dict(type='APT36KDataset', **args))
    ap10k = AP10KDataset(**args)
    assert ours.metainfo['dataset_name'] == 'apt36k' and ap10k.metainfo['dataset_name'] == 'ap10k'
    assert len(ours) == len(ap10k) > 0
    for a, b in zip(ours.data_list, ap10k.data_list):
        assert a['img_path'] == b['img_path'] and a['id'] == b['id']
        np.testing.assert_array_equal(a['keypoints'], b['keypoints'])


def test_a_metainfo_of_another_name_keeps_it():
    meta = APT36KDataset._load_metainfo(dict(from_file='configs/_base_/datasets/coco.py'))
    assert meta['dataset_name'] == 'coco'


def test_multi_dataset_evaluator_keeps_ap10k_and_apt36k_apart():
    """MMPose's evaluator keys its metrics by the data set type's METAINFO name: with AP-10K's
    name there, APT-36K's metric took AP-10K's samples and APT-36K's went to no metric."""
    from mmengine.registry import init_default_scope
    from mmpose.registry import EVALUATORS
    init_default_scope('mmpose')
    evaluator = EVALUATORS.build(dict(
        type='MultiDatasetEvaluator',
        metrics=[dict(type='CocoMetric', prefix=p) for p in ('ap10k', 'apt36k')],
        datasets=[dict(type='CheckedAP10KDataset'), dict(type='CheckedAPT36KDataset')]))
    assert {k: m.prefix for k, m in evaluator.metrics_dict.items()} == {
        'ap10k': 'ap10k', 'apt36k': 'apt36k'}
