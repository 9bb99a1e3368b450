import hashlib
import json
import os
import os.path as osp

import numpy as np
import pytest
from xtcocotools.coco import COCO

from vitpose_ext.datasets.synthetic import (HUMAN, KEYPOINT_NAMES, is_complete,
                                            make_synthetic_coco, render_image)


def _digest(root):
    h = hashlib.sha256()
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            with open(osp.join(dirpath, name), 'rb') as f:
                h.update(name.encode() + f.read())
    return h.hexdigest()


def test_byte_for_byte_reproducible(tmp_path):
    a = make_synthetic_coco(str(tmp_path / 'a'), num_train=6, num_val=3, seed=3)
    b = make_synthetic_coco(str(tmp_path / 'b'), num_train=6, num_val=3, seed=3)
    c = make_synthetic_coco(str(tmp_path / 'c'), num_train=6, num_val=3, seed=4)
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)
    assert is_complete(a)


def test_humans_are_byte_for_byte_those_of_the_original_generator(tmp_path):
    """Digests recorded with the generator before it took a skeleton description (commit
    afdce71); data/synth_coco (seed 0, 160x160) was made by that code."""
    small = make_synthetic_coco(str(tmp_path / 'a'), num_train=4, num_val=2, seed=5, width=96,
                                height=80)
    default = make_synthetic_coco(str(tmp_path / 'b'), num_train=3, num_val=2, seed=0,
                                  skeleton=HUMAN)
    assert _digest(small) == '819229339b26e7b777e9ccfc9158904b6a3bf7c9ada65a828eecb18c80678e40'
    assert _digest(default) == '0d30af656aebe23a8f07541969de6dff5266a4fc8db93416a875ba151d79a941'


def test_coco_format_and_honest_annotations(tmp_path):
    root = make_synthetic_coco(str(tmp_path), num_train=40, num_val=5, seed=0, width=160,
                               height=120)
    ann_file = osp.join(root, 'annotations/person_keypoints_train.json')
    coco = COCO(ann_file)  # xtcocotools parses it, as MMPose's CocoMetric will
    cat = coco.loadCats(1)[0]
    assert cat['keypoints'] == KEYPOINT_NAMES and len(cat['skeleton']) == 19
    anns = coco.loadAnns(coco.getAnnIds())
    assert len(anns) >= 40
    vis_counts = np.zeros(3, int)
    for ann in anns:
        kpts = np.array(ann['keypoints'], dtype=float).reshape(17, 3)
        vis = kpts[:, 2].astype(int)
        vis_counts += np.bincount(vis, minlength=3)
        assert ann['num_keypoints'] == (vis > 0).sum() and ann['iscrowd'] == 0
        assert np.all(kpts[vis == 0, :2] == 0)
        inside = kpts[vis > 0, :2]
        assert np.all((inside >= 0) & (inside < [160, 120]))
        x, y, w, h = ann['bbox']
        assert w > 0 and h > 0 and x >= 0 and y >= 0 and x + w <= 160 and y + h <= 120
        assert 0 < ann['area'] <= w * h
    # all three flags occur: truncation (0), occlusion by figures / occluders (1), visible (2)
    assert vis_counts.min() > 0 and vis_counts[2] > vis_counts[1]
    images = {i['file_name'] for i in json.load(open(ann_file))['images']}
    assert images == set(os.listdir(osp.join(root, 'train')))


def test_visibility_flags_follow_occlusion():
    def flags(seed, **kw):
        _, anns = render_image(seed, 128, 128, **kw)
        return np.concatenate([np.array(a['keypoints']).reshape(17, 3)[:, 2] for a in anns])

    # one figure and no occluder: nothing can hide a keypoint inside the image
    alone = np.concatenate([flags(s, max_people=1, occluder_prob=0.0) for s in range(30)])
    assert not np.any(alone == 1) and np.any(alone == 2)
    # occluders on every image: some keypoints inside the image are hidden
    occluded = np.concatenate([flags(s, max_people=1, occluder_prob=1.0) for s in range(30)])
    assert np.any(occluded == 1)


@pytest.mark.parametrize('kwargs', [dict(num_train=0), dict(width=16)])
def test_invalid_arguments(tmp_path, kwargs):
    with pytest.raises(ValueError):
        make_synthetic_coco(str(tmp_path), **kwargs)
