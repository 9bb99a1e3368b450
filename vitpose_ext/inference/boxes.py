"""Person boxes: from a COCO detection file (the COCO val recipe's ``bbox_file``), from an
MMDetection model, or the whole image. Boxes are (N, 5) float32 arrays: x1, y1, x2, y2, score.

The file is read as MMPose's ``CocoDataset`` reads ``bbox_file`` (category 1 only, xywh ->
xyxy in float32, file order within an image); ``score_thr`` is its ``filter_cfg``'s
``bbox_score_thr`` (kept: score >= thr; the COCO recipe uses none). NMS on boxes is what
MMPose's demos and inferencer do after a detector (``mmpose.evaluation.functional.nms``, kept:
IoU <= thr, by descending score); the COCO recipe does none (its NMS is on poses, OKS, in
``results.coco_keypoint_results``).
"""
import json
import os.path as osp
from collections import Counter, defaultdict
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmpose.evaluation.functional import nms
from mmpose.structures.bbox import bbox_xywh2xyxy

DET_KEYS = ('image_id', 'category_id', 'bbox', 'score')


def filter_boxes(boxes: np.ndarray, score_thr: float = 0.0,
                 nms_thr: Optional[float] = None) -> np.ndarray:
    """Boxes (N, 5) with score >= ``score_thr``, then (if ``nms_thr``) MMPose's greedy NMS."""
    boxes = boxes[boxes[:, 4] >= score_thr]
    if nms_thr is not None and len(boxes):
        boxes = boxes[nms(boxes, nms_thr)]
    return boxes


def load_detections(path: str, score_thr: float = 0.0, nms_thr: Optional[float] = None,
                    category_id: int = 1) -> Dict[int, np.ndarray]:
    """{image_id: boxes (N, 5) float32} of a COCO detection results file (a list of
    ``{'image_id', 'category_id', 'bbox': [x, y, w, h], 'score'}``)."""
    try:
        with open(path) as f:
            detections = json.load(f)
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f'cannot read the detection file {path}: {exc}') from exc
    if not isinstance(detections, list):
        raise ValueError(f'{path}: a COCO detection file is a list of detections, got '
                         f'{type(detections).__name__}')
    per_image = defaultdict(list)
    for i, det in enumerate(detections):
        missing = [k for k in DET_KEYS if not isinstance(det, dict) or k not in det]
        if missing:
            raise ValueError(f'{path}: detection {i} has no {", ".join(missing)}')
        if len(det['bbox']) < 4:
            raise ValueError(f'{path}: detection {i} (image {det["image_id"]}) has a bbox of '
                             f'{len(det["bbox"])} numbers, expected [x, y, w, h]')
        if det['category_id'] == category_id:
            box = bbox_xywh2xyxy(np.array(det['bbox'][:4], dtype=np.float32).reshape(1, 4))
            per_image[det['image_id']].append(np.append(box[0], np.float32(det['score'])))
    return {image_id: filter_boxes(np.stack(b).astype(np.float32), score_thr, nms_thr)
            for image_id, b in per_image.items()}


def whole_image_box(height: int, width: int) -> np.ndarray:
    """The box MMPose's ``inference_topdown`` takes without boxes: the whole image, score 1."""
    return np.array([[0, 0, width, height, 1]], dtype=np.float32)


def image_ids_from_annotations(ann_file: str) -> Dict[str, int]:
    """{file name: image id} of a COCO annotation file's ``images``: each ``file_name`` as
    written (e.g. ``images/val/012834_mpii_test/000000.jpg``) and, where no other image shares
    it, its base name."""
    try:
        with open(ann_file) as f:
            images = json.load(f)['images']
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f'cannot read the images of the annotation file {ann_file}: '
                         f'{exc!r}') from exc
    ids = {image['file_name']: image['id'] for image in images}
    names = Counter(osp.basename(name) for name in ids)
    ids.update({osp.basename(name): i for name, i in list(ids.items())
                if names[osp.basename(name)] == 1})
    return ids


class DetectorBoxes:
    """Person boxes from an MMDetection model (needs mmdet), filtered as MMPose's top-down demo
    does: label ``category_id``, score > ``score_thr``, NMS at ``nms_thr``.

    Args:
        config (str): the detector's MMDetection config.
        checkpoint (str): its weights.
        device (str): where it runs.
        category_id (int): the person label (0 in COCO-trained detectors).
        score_thr (float): boxes kept above this score.
        nms_thr (float): IoU threshold of the NMS.
    """

    def __init__(self, config: str, checkpoint: str, device: str = 'cpu', category_id: int = 0,
                 score_thr: float = 0.3, nms_thr: float = 0.3) -> None:
        try:
            from mmdet.apis import init_detector
        except ImportError as exc:
            raise ValueError('DetectorBoxes: needs mmdet (pip install mmdet)') from exc
        if not 0 <= nms_thr <= 1:
            raise ValueError(f'DetectorBoxes: nms_thr must be in [0, 1], got {nms_thr}')
        self.model = init_detector(config, checkpoint, device=device)
        self.category_id, self.score_thr, self.nms_thr = category_id, score_thr, nms_thr

    def __call__(self, images: Sequence[np.ndarray]) -> List[np.ndarray]:
        """Boxes (N, 5) of each BGR image."""
        from mmdet.apis import inference_detector
        boxes = []
        for sample in inference_detector(self.model, list(images)):
            pred = sample.pred_instances.cpu().numpy()
            b = np.concatenate([pred.bboxes, pred.scores[:, None]], 1).astype(np.float32)
            b = b[(pred.labels == self.category_id) & (pred.scores > self.score_thr)]
            boxes.append(b[nms(b, self.nms_thr)] if len(b) else b)
        return boxes
