"""JointErrorMetric measures in pixels of the input crop, over annotated joints only."""
import numpy as np
import pytest

from vitpose_ext.evaluation import JointErrorMetric


def test_error_in_pixels_of_the_crop():
    gt = np.zeros((1, 3, 2), np.float32)
    pred = gt.copy()
    pred[0, 0] = (3, 4)  # 5 px in the image
    pred[0, 1] = (1, 0)  # 1 px
    pred[0, 2] = (100, 0)  # not annotated
    sample = dict(pred_instances=dict(keypoints=pred),
                  gt_instances=dict(keypoints=gt, keypoints_visible=np.array([[2, 1, 0]])),
                  input_size=(96, 128), input_scale=np.array([48., 64.]))  # crop = 2x image
    metric = JointErrorMetric(pck_thresholds=(3, ))
    metric.process({}, [sample])
    out = metric.compute_metrics(metric.results)
    assert out['mean_px'] == pytest.approx((10 + 2) / 2)
    assert out['median_px'] == pytest.approx(6)
    assert out['pck@3px'] == pytest.approx(0.5)
