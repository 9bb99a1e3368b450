import json
import os.path as osp

import numpy as np
from mmpose.datasets.datasets.utils import parse_pose_metainfo
from mmpose.registry import DATASETS
from mmpose.utils import register_all_modules
from xtcocotools.coco import COCO

from vitpose_ext.datasets import synthetic_quadruped as quad
from vitpose_ext.datasets.synthetic import QUADRUPED, is_complete, main, render_image

AP10K = parse_pose_metainfo(dict(from_file='configs/_base_/datasets/ap10k.py'))


def test_ap10k_keypoints_links_and_flip_pairs():
    assert [AP10K['keypoint_id2name'][i] for i in range(17)] == quad.KEYPOINT_NAMES
    assert sorted(tuple(sorted(link)) for link in AP10K['skeleton_links']) == sorted(
        tuple(sorted((a - 1, b - 1))) for a, b in quad.SKELETON)
    assert AP10K['flip_indices'] == quad.FLIP


def test_left_and_right_follow_the_facing_direction_and_survive_flipping():
    rng = np.random.default_rng(0)
    facing = []
    for _ in range(100):
        k = quad.sample_pose(rng)
        right = k[2, 0] > k[4, 0]  # nose right of the tail root: facing right
        facing.append(right)
        assert quad._near_is_right(k) == right
        # the far side's shoulder sits higher (seen slightly from above): the left one when
        # facing right
        assert (k[5, 1] < k[8, 1]) == right
        mirrored = (k * [-1, 1])[quad.FLIP]  # what RandomFlip does to image and labels
        assert quad._near_is_right(mirrored) == (not right)
        angle = rng.uniform(-np.pi, np.pi)
        rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        assert quad._near_is_right(k @ rot.T * 50 + 80) == right
    assert 30 < sum(facing) < 70


def test_coco_format_set_that_mmposes_ap10k_dataset_reads(tmp_path, synth_quadruped_root):
    assert is_complete(synth_quadruped_root, QUADRUPED)
    ann_file = osp.join(synth_quadruped_root, 'annotations/quadruped_keypoints_train.json')
    coco = COCO(ann_file)
    cat = coco.loadCats(1)[0]
    assert cat['name'] == 'quadruped' and cat['keypoints'] == quad.KEYPOINT_NAMES
    anns = coco.loadAnns(coco.getAnnIds())
    assert len(anns) >= 24
    flags = np.concatenate([np.array(a['keypoints']).reshape(17, 3)[:, 2] for a in anns])
    assert set(np.unique(flags)) == {0, 1, 2}
    register_all_modules()
    dataset = DATASETS.build(dict(type='AP10KDataset', data_root=synth_quadruped_root,
                                  data_mode='topdown', ann_file=ann_file,
                                  data_prefix=dict(img='train/')))
    assert len(dataset) == len(anns) and dataset.metainfo['dataset_name'] == 'ap10k'
    assert dataset[0]['keypoints'].shape == (1, 17, 2)

    main(['--skeleton', 'quadruped', '--out', str(tmp_path), '--num-train', '1', '--num-val',
          '1', '--size', '64', '48', '--seed', '3'])
    info = json.load(open(tmp_path / 'annotations/quadruped_keypoints_val.json'))['info']
    assert 'quadruped' in info['description'] and info['seed'] == 3
    # a rendered animal covers its keypoints: most visible keypoints lie on the figure
    img, anns = render_image(7, 160, 160, max_people=1, occluder_prob=0.0, skeleton=QUADRUPED)
    assert len(anns) == 1 and anns[0]['num_keypoints'] >= 10
