"""SimDRLabel inside MMPose's top-down pipeline: image keypoints -> crop -> labels -> decoded ->
back to the image with TopdownPoseEstimator's inverse land within half a bin of where they were."""
from types import SimpleNamespace

import numpy as np
import pytest
from mmengine.structures import InstanceData
from mmpose.datasets.transforms import GetBBoxCenterScale, TopdownAffine
from mmpose.models.pose_estimators import TopdownPoseEstimator
from mmpose.structures import PoseDataSample

from vitpose_ext.codecs import SimDRLabel


def round_trip_error(input_size, k, use_udp, seed=0):
    """Max error (in units of an input pixel) over keypoints of random boxes in a 640x480
    image, through GetBBoxCenterScale, TopdownAffine, SimDRLabel and the estimator's inverse."""
    rng = np.random.default_rng(seed)
    codec = SimDRLabel(input_size, simcc_split_ratio=k, label_type='one_hot')
    worst = 0.0
    for _ in range(20):
        x1, y1 = rng.uniform(0, 300, 2)
        w, h = rng.uniform(40, 300, 2)
        kps = rng.uniform([x1, y1], [x1 + w, y1 + h], (1, 17, 2))
        results = dict(img=np.zeros((480, 640, 3), np.uint8), img_shape=(480, 640),
                       bbox=np.array([[x1, y1, x1 + w, y1 + h]]), bbox_score=np.ones(1),
                       keypoints=kps, keypoints_visible=np.ones((1, 17)))
        results = TopdownAffine(input_size, use_udp=use_udp)(GetBBoxCenterScale()(results))
        enc = codec.encode(results['transformed_keypoints'], np.ones((1, 17)))
        assert (enc['keypoint_weights'] == 1).all()
        kps_in, scores = codec.decode(np.log(enc['keypoint_x_labels'] + 1e-12),
                                      np.log(enc['keypoint_y_labels'] + 1e-12))
        sample = PoseDataSample(metainfo=dict(
            input_size=input_size, input_center=results['input_center'],
            input_scale=results['input_scale']))
        sample.gt_instances = InstanceData(bboxes=results['bbox'], bbox_scores=np.ones(1))
        (out, ) = TopdownPoseEstimator.add_pred_to_datasample(
            SimpleNamespace(test_cfg={}), [InstanceData(keypoints=kps_in, keypoint_scores=scores)],
            None, [sample])
        px = results['input_scale'] / np.array(input_size)  # image pixels per input pixel
        worst = max(worst, (np.abs(out.pred_instances.keypoints - kps) / px).max())
    return worst


@pytest.mark.parametrize('input_size,k', [((64, 64), 3.0), ((192, 256), 2.0)])
def test_predictions_return_to_the_image_within_half_a_bin(input_size, k):
    """With TopdownAffine as MMPose's SimCC configs use it (no UDP)."""
    assert round_trip_error(input_size, k, use_udp=False) <= 1 / (2 * k) + 1e-4


def test_udp_crops_need_their_own_inverse():
    """The estimator maps predictions back with the non-UDP inverse: after a UDP crop the
    error reaches ~1 input pixel at the far edge of a 64 px input (a 1 / w scale error), hence
    the SimDR configs crop without UDP."""
    assert round_trip_error((64, 64), 3.0, use_udp=True) > 0.5
