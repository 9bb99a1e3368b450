"""tools/analysis_tools/compare_results.py: matches persons by image and box, measures their
keypoints' distances, refuses files of other boxes, scores AP."""
import json
import os.path as osp
import sys

import numpy as np
import pytest

from helpers.common import REPO

sys.path.insert(0, osp.join(REPO, 'tools', 'analysis_tools'))
from compare_results import keypoint_ap, keypoint_distances, main  # noqa: E402


def person(image_id, box, keypoints):
    kpts = np.concatenate([np.asarray(keypoints, float), np.ones((len(keypoints), 1))], 1)
    return dict(image_id=image_id, category_id=1, bbox=list(box), score=1.0,
                keypoints=kpts.reshape(-1).tolist())


def test_distances_of_matched_persons_in_any_order():
    rng = np.random.default_rng(0)
    a = [person(1, (0, 0, 50, 100), rng.uniform(0, 50, (17, 2))),
         person(2, (10, 10, 40, 80), rng.uniform(0, 50, (17, 2)))]
    shifted = [dict(p, keypoints=(np.asarray(p['keypoints']).reshape(17, 3)
                                  + [3, 4, 0]).reshape(-1).tolist()) for p in a]
    distances, heights = keypoint_distances(a, shifted[::-1] + [person(3, (0, 0, 1, 1),
                                                                      np.zeros((17, 2)))])
    np.testing.assert_allclose(distances, 5.0)
    assert sorted(heights) == [80, 100]


def test_files_of_other_boxes_are_refused():
    with pytest.raises(ValueError, match='share no'):
        keypoint_distances([person(1, (0, 0, 5, 5), np.zeros((17, 2)))],
                           [person(1, (1, 0, 5, 5), np.zeros((17, 2)))])


def test_ground_truth_as_results_scores_ap_1_and_prints(tmp_path, capsys):
    rng = np.random.default_rng(1)
    kpts = rng.uniform(20, 80, (17, 2))
    gt = dict(images=[dict(id=1, file_name='a.jpg', width=100, height=100)],
              categories=[dict(id=1, name='person')],
              annotations=[dict(id=1, image_id=1, category_id=1, iscrowd=0, area=3600.0,
                                bbox=[20, 20, 60, 60], num_keypoints=17,
                                keypoints=np.concatenate([kpts, np.full((17, 1), 2)], 1)
                                .reshape(-1).tolist())])
    ann = tmp_path / 'gt.json'
    ann.write_text(json.dumps(gt))
    results = [person(1, (20, 20, 60, 60), kpts)]
    assert keypoint_ap(str(ann), results) > 0.99
    for name, rows in (('a.json', results), ('b.json', results)):
        (tmp_path / name).write_text(json.dumps(rows))
    main([str(tmp_path / 'a.json'), str(tmp_path / 'b.json'), '--ann-file', str(ann)])
    out = capsys.readouterr().out
    assert '1 persons matched' in out and 'median 0.000' in out and 'AP:' in out
