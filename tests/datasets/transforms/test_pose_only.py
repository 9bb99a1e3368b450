"""Pose-only top-down pipelines (SkipImage ... PackPoseOnlyInputs) give the same crop-normalised
keypoints as the stock pipelines that decode the image."""

import numpy as np

import vitpose_ext  # noqa: F401
from helpers.common import coco_train_set

CODEC = dict(type='RegressionLabel', input_size=(96, 128))
RANDOM = [
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody', prob=0.5),
    dict(type='RandomBBoxTransform', rotate_factor=40),
    dict(type='TopdownAffine', input_size=(96, 128), use_udp=True),
    dict(type='GenerateTarget', encoder=CODEC),
]


def labels(sample):
    inst = sample['data_samples'].gt_instance_labels
    return inst.keypoint_labels.numpy(), inst.keypoint_weights.numpy()


def test_pose_only_pipeline_matches_the_image_pipeline(synth_root):
    with_image = coco_train_set(synth_root, [dict(type='LoadImage')] + RANDOM
                                + [dict(type='PackPoseInputs')])
    pose_only = coco_train_set(synth_root, [dict(type='SkipImage')] + RANDOM
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
