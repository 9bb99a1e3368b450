"""Pose-only top-down pipelines (SkipImage ... PackPoseOnlyInputs) give the same crop-normalised
keypoints as the stock pipelines that decode the image; OccludeJoints is deterministic and
leaves the annotations alone."""

import numpy as np
import pytest
import torch
from mmpose.datasets import CocoDataset
from mmpose.utils import register_all_modules

import vitpose_ext  # noqa: F401

CODEC = dict(type='RegressionLabel', input_size=(96, 128))
RANDOM = [
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody', prob=0.5),
    dict(type='RandomBBoxTransform', rotate_factor=40),
    dict(type='TopdownAffine', input_size=(96, 128), use_udp=True),
    dict(type='GenerateTarget', encoder=CODEC),
]


def dataset(root, pipeline):
    register_all_modules()
    return CocoDataset(data_root=root, data_mode='topdown',
                       ann_file='annotations/person_keypoints_train.json',
                       data_prefix=dict(img='train/'), pipeline=pipeline)


def labels(sample):
    inst = sample['data_samples'].gt_instance_labels
    return inst.keypoint_labels.numpy(), inst.keypoint_weights.numpy()


def test_pose_only_pipeline_matches_the_image_pipeline(synth_root):
    with_image = dataset(synth_root, [dict(type='LoadImage')] + RANDOM
                         + [dict(type='PackPoseInputs')])
    pose_only = dataset(synth_root, [dict(type='SkipImage')] + RANDOM
                        + [dict(type='PackPoseOnlyInputs')])
    flips = 0
    for i in range(min(len(with_image), 12)):
        np.random.seed(i)
        a = with_image[i]
        np.random.seed(i)
        b = pose_only[i]
        flips += bool(a['data_samples'].flip)
        assert a['inputs'].shape == (3, 128, 96) and b['inputs'].numel() == 0
        for x, y in zip(labels(a), labels(b)):
            np.testing.assert_allclose(x, y, atol=1e-5)
        assert (labels(b)[1] > 0).any()
    assert flips > 0  # the random transforms did act


def test_occlude_joints(synth_root):
    base = [dict(type='LoadImage'), dict(type='GetBBoxCenterScale'),
            dict(type='TopdownAffine', input_size=(96, 128), use_udp=True)]
    clean = dataset(synth_root, base + [dict(type='PackPoseInputs')])
    occluded = dataset(synth_root, base + [dict(type='OccludeJoints', num_joints=2),
                                           dict(type='PackPoseInputs')])
    a, b, b2 = clean[0], occluded[0], occluded[0]
    assert torch.equal(b['inputs'], b2['inputs'])  # the same occluders every time
    changed = (a['inputs'] != b['inputs']).any(0)
    assert 0 < changed.float().mean() < 0.5
    np.testing.assert_array_equal(a['data_samples'].gt_instances.keypoints,
                                  b['data_samples'].gt_instances.keypoints)
    other = dataset(synth_root, base + [dict(type='OccludeJoints', num_joints=2, seed=1),
                                        dict(type='PackPoseInputs')])[0]
    assert not torch.equal(other['inputs'], b['inputs'])


def test_occlude_joints_rejects_bad_sizes():
    from vitpose_ext.datasets.transforms import OccludeJoints
    with pytest.raises(ValueError, match='OccludeJoints'):
        OccludeJoints(size=(0.3, 0.1))
