"""Predictions of one image, and COCO keypoint results with MMPose's rescoring and OKS NMS.

``coco_keypoint_results`` does what ``CocoMetric`` does to predictions before it writes its
``*.keypoints.json`` (``score_mode='bbox_keypoint'``, ``keypoint_score_thr``, ``oks_nms`` at
``nms_thr``, area = the crop's scale w * h), so the file scores through COCOeval as
``tools/test.py`` scores the model.
"""
import json
from dataclasses import dataclass, field
from typing import Iterable, List, Optional

import numpy as np
from mmpose.evaluation.functional import oks_nms
from mmpose.structures.bbox import bbox_xyxy2xywh


@dataclass
class ImagePrediction:
    """The people of one image: ``boxes`` (N, 5) x1 y1 x2 y2 score, ``keypoints`` (N, K, 2)
    image pixels, ``keypoint_scores`` (N, K), ``areas`` (N,) (the crops' w * h), and with
    smoothing ``track_ids`` (N,)."""
    image_id: int
    path: str
    frame: int
    shape: tuple
    boxes: np.ndarray
    keypoints: np.ndarray
    keypoint_scores: np.ndarray
    areas: np.ndarray
    track_ids: Optional[np.ndarray] = None
    image: Optional[np.ndarray] = field(default=None, repr=False)


def rescore(keypoint_scores: np.ndarray, bbox_scores: np.ndarray,
            keypoint_score_thr: float = 0.2) -> np.ndarray:
    """``CocoMetric``'s 'bbox_keypoint' score: the box score times the mean of the keypoint
    scores above the threshold (0 where none is)."""
    valid = keypoint_scores > keypoint_score_thr
    count = valid.sum(-1)
    mean = np.where(valid, keypoint_scores, 0).sum(-1) / np.maximum(count, 1)
    return bbox_scores * np.where(count > 0, mean, 0)


def coco_keypoint_results(predictions: Iterable[ImagePrediction], sigmas: np.ndarray,
                          keypoint_score_thr: float = 0.2, nms_thr: Optional[float] = 0.9,
                          category_id: int = 1) -> List[dict]:
    """COCO keypoint results (``image_id``, ``category_id``, ``keypoints`` [x, y, score] * K,
    ``score``, ``bbox`` xywh) of ``predictions``, rescored and OKS-NMSed per image as
    ``CocoMetric`` does (``nms_thr=None``: no NMS)."""
    results = []
    for pred in predictions:
        if not len(pred.keypoints):
            continue
        scores = rescore(pred.keypoint_scores, pred.boxes[:, 4], keypoint_score_thr)
        keypoints = np.concatenate([pred.keypoints, pred.keypoint_scores[..., None]], -1)
        instances = [dict(keypoints=k, score=s, area=a)
                     for k, s, a in zip(keypoints, scores, pred.areas)]
        keep = range(len(instances)) if nms_thr is None else oks_nms(instances, nms_thr,
                                                                      sigmas=sigmas)
        boxes = bbox_xyxy2xywh(pred.boxes[:, :4].astype(np.float64))
        results.extend(dict(image_id=int(pred.image_id), category_id=category_id,
                            keypoints=keypoints[i].reshape(-1).tolist(),
                            score=float(scores[i]), bbox=boxes[i].tolist()) for i in keep)
    return results


def write_results(results: List[dict], path: str) -> None:
    with open(path, 'w') as f:
        json.dump(results, f)
