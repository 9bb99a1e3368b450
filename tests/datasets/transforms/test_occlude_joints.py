"""OccludeJoints: noisy rectangles over visible joints of the crop only, the same ones for the
same annotation and seed, annotations left alone."""
import numpy as np
import pytest
import torch

from helpers.common import coco_train_set
from vitpose_ext.datasets.transforms import OccludeJoints


def test_occlude_joints(synth_root):
    base = [dict(type='LoadImage'), dict(type='GetBBoxCenterScale'),
            dict(type='TopdownAffine', input_size=(96, 128), use_udp=True)]
    clean = coco_train_set(synth_root, base + [dict(type='PackPoseInputs')])
    occluded = coco_train_set(synth_root, base + [dict(type='OccludeJoints', num_joints=2),
                                                  dict(type='PackPoseInputs')])
    a, b, b2 = clean[0], occluded[0], occluded[0]
    assert torch.equal(b['inputs'], b2['inputs'])  # the same occluders every time
    changed = (a['inputs'] != b['inputs']).any(0)
    assert 0 < changed.float().mean() < 0.5
    np.testing.assert_array_equal(a['data_samples'].gt_instances.keypoints,
                                  b['data_samples'].gt_instances.keypoints)
    other = coco_train_set(synth_root, base + [dict(type='OccludeJoints', num_joints=2, seed=1),
                                               dict(type='PackPoseInputs')])[0]
    assert not torch.equal(other['inputs'], b['inputs'])


def test_covers_only_the_visible_joint_and_keeps_the_input_array():
    img = np.zeros((100, 100, 3), np.uint8)
    results = dict(img=img, id=7, transformed_keypoints=np.array([[[20., 30.], [80., 70.]]]),
                   keypoints_visible=np.array([[1., 0.]]))
    out = OccludeJoints(num_joints=2, size=(0.1, 0.2))(results)['img']
    assert not img.any()  # drawn on a copy
    ys, xs = np.nonzero(out.any(-1))
    # one rectangle of sides 10..20 px (9..21 after rounding its ends), centred within a quarter
    # side (<= 5 px) of the visible joint (20, 30); none at the invisible one
    assert 9 * 9 <= len(xs) <= 21 * 21
    assert np.abs(xs - 20).max() <= 15 and np.abs(ys - 30).max() <= 15


@pytest.mark.parametrize('kwargs', [dict(size=(0.3, 0.1)), dict(size=(0.0, 0.1)),
                                    dict(num_joints=0)])
def test_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError, match='OccludeJoints'):
        OccludeJoints(**kwargs)
