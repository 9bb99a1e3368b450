"""COCO keypoint results: the same records as CocoMetric writes for the same predictions
(rescoring, OKS NMS, format), and the AP it computes from them."""
import json

import numpy as np
import pytest
from mmpose.datasets.datasets.utils import parse_pose_metainfo
from mmpose.evaluation import CocoMetric

from helpers.common import REPO
from vitpose_ext.inference import ImagePrediction, coco_keypoint_results, rescore, write_results

COCO_META = parse_pose_metainfo(dict(from_file=f'{REPO}/configs/_base_/datasets/coco.py'))


def predictions(ann_file, boxes, seed=0):
    """Per image: the annotated people's keypoints with noise (their boxes, scores in
    [0.5, 1]), a near copy of the first with a lower box score (what OKS NMS removes), and
    random poses in the detected boxes."""
    rng = np.random.default_rng(seed)
    with open(ann_file) as f:
        annotations = json.load(f)['annotations']
    preds = []
    for image_id, detected in sorted(boxes.items()):
        people = [a for a in annotations if a['image_id'] == image_id and a['num_keypoints']]
        gt = np.array([a['keypoints'] for a in people]).reshape(-1, 17, 3)[..., :2]
        x, y, w, h = np.array([a['bbox'] for a in people]).reshape(-1, 4).T
        b = np.stack([x, y, x + w, y + h, rng.uniform(0.5, 1, len(x))], 1)
        b = np.concatenate([b, b[:1] * [1, 1, 1, 1, 0.5], detected]).astype(np.float32)
        lo, size = b[:, None, :2], b[:, None, 2:4] - b[:, None, :2]
        keypoints = lo + rng.uniform(0, 1, (len(b), 17, 2)) * size
        keypoints[:len(gt)] = gt + rng.normal(0, 3, gt.shape)
        keypoints[len(gt)] = keypoints[0] + rng.normal(0, 0.5, (17, 2))
        scores = rng.uniform(0, 1, (len(b), 17)).astype(np.float32)
        scales = size[:, 0] * 1.25 * [1, 1]
        preds.append(ImagePrediction(image_id=image_id, path='', frame=0, shape=(),
                                     boxes=b, keypoints=keypoints, keypoint_scores=scores,
                                     areas=np.prod(scales, axis=1)))
    return preds


def coco_metric_results(preds, ann_file, prefix):
    """What CocoMetric writes (and scores) for the same predictions, one sample per person."""
    metric = CocoMetric(ann_file=ann_file, outfile_prefix=prefix)
    metric.dataset_meta = COCO_META
    uid = 0
    for pred in preds:
        for n in range(len(pred.boxes)):
            metric.process({}, [dict(
                id=uid, img_id=pred.image_id,
                pred_instances=dict(keypoints=pred.keypoints[n:n + 1],
                                    keypoint_scores=pred.keypoint_scores[n:n + 1],
                                    bboxes=pred.boxes[n:n + 1, :4],
                                    bbox_scores=pred.boxes[n:n + 1, 4]),
                gt_instances=dict(bbox_scales=np.sqrt(pred.areas[n:n + 1, None]) * [1, 1]))])
            uid += 1
    metrics = metric.evaluate(uid)
    with open(f'{prefix}.keypoints.json') as f:
        return json.load(f), metrics, metric


@pytest.mark.realdata
def test_results_equal_coco_metrics_file_and_score_the_same(coco_sample, tmp_path):
    _, boxes, ann_file = coco_sample
    preds = predictions(ann_file, boxes)
    ours = coco_keypoint_results(preds, COCO_META['sigmas'])
    expected, metrics, metric = coco_metric_results(preds, ann_file, str(tmp_path / 'ref'))
    assert len(ours) == len(expected) < sum(len(p.boxes) for p in preds)  # NMS removed some
    key = lambda r: (r['image_id'], -r['score'])  # noqa: E731
    for a, b in zip(sorted(ours, key=key), sorted(expected, key=key)):
        assert (a['image_id'], a['category_id']) == (b['image_id'], b['category_id'])
        np.testing.assert_allclose(a['score'], b['score'], rtol=1e-6)
        np.testing.assert_allclose(a['keypoints'], b['keypoints'], rtol=1e-6)
        np.testing.assert_allclose(a['bbox'], b['bbox'], rtol=1e-6)
    write_results(ours, str(tmp_path / 'ours.keypoints.json'))
    ap = dict(metric._do_python_keypoint_eval(str(tmp_path / 'ours')))['AP']
    assert ap == pytest.approx(metrics['coco/AP'], abs=1e-12) and ap > 0.3


def test_rescore_is_cocometrics_bbox_keypoint_score():
    scores = np.array([[0.1, 0.5, 0.3], [0.1, 0.2, 0.15]])
    np.testing.assert_allclose(rescore(scores, np.array([0.8, 0.9])), [0.8 * 0.4, 0.0])
