"""Detection files read as MMPose's CocoDataset reads bbox_file, box filtering, image ids."""
import json

import numpy as np
import pytest

from vitpose_ext.inference import filter_boxes, image_ids_from_annotations, load_detections
from vitpose_ext.inference.sources import image_id_of


def write(path, detections):
    path.write_text(json.dumps(detections))
    return str(path)


def test_a_detection_file_is_read_as_the_coco_recipe_reads_it(tmp_path):
    path = write(tmp_path / 'det.json', [
        dict(image_id=7, category_id=1, bbox=[10, 20, 30, 40], score=0.9),
        dict(image_id=7, category_id=2, bbox=[0, 0, 5, 5], score=0.99),  # not a person
        dict(image_id=7, category_id=1, bbox=[11, 21, 30, 40], score=0.5),
        dict(image_id=8, category_id=1, bbox=[1.5, 2.5, 3, 4], score=0.05)])
    boxes = load_detections(path)
    assert sorted(boxes) == [7, 8]
    assert boxes[7].dtype == np.float32
    np.testing.assert_array_equal(
        boxes[7], np.float32([[10, 20, 40, 60, 0.9], [11, 21, 41, 61, 0.5]]))
    assert len(load_detections(path, score_thr=0.5)[7]) == 2  # kept: score >= thr
    assert not len(load_detections(path, score_thr=0.1)[8])
    # MMPose's NMS: the second box overlaps the first (IoU ~0.9), higher score first
    np.testing.assert_array_equal(load_detections(path, nms_thr=0.5)[7][:, 4], np.float32([0.9]))


@pytest.mark.parametrize('content, message', [
    ('{"image_id": 1}', 'a list of detections'),
    ('[{"image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4]}]', 'detection 0 has no score'),
    ('[{"image_id": 3, "category_id": 1, "bbox": [1, 2], "score": 1}]', 'image 3'),
    ('[{"image_id": 1,', 'cannot read'),
])
def test_bad_detection_files_are_named(tmp_path, content, message):
    path = tmp_path / 'det.json'
    path.write_text(content)
    with pytest.raises(ValueError, match=message) as error:
        load_detections(str(path))
    assert str(path) in str(error.value)


def test_filter_boxes_keeps_the_order_without_nms():
    boxes = np.array([[0, 0, 10, 10, 0.2], [0, 0, 10, 10, 0.8], [50, 50, 60, 60, 0.4]],
                     np.float32)
    np.testing.assert_array_equal(filter_boxes(boxes, 0.3)[:, 4], np.float32([0.8, 0.4]))
    np.testing.assert_array_equal(filter_boxes(boxes, 0.0, 0.5)[:, 4],
                                  np.float32([0.8, 0.4]))  # the duplicate suppressed


def test_image_ids_by_file_name_and_by_path(tmp_path):
    ann = tmp_path / 'ann.json'
    ann.write_text(json.dumps(dict(images=[
        dict(id=1, file_name='images/a/000000.jpg'), dict(id=2, file_name='images/b/000000.jpg'),
        dict(id=3, file_name='x.jpg')])))
    ids = image_ids_from_annotations(str(ann))
    assert '000000.jpg' not in ids  # shared by two images: only their paths say which
    assert image_id_of('/data/pt/images/b/000000.jpg', ids) == 2
    assert image_id_of('/anywhere/x.jpg', ids) == 3
    assert image_id_of('/coco/val2017/000000000785.jpg') == 785
    with pytest.raises(ValueError, match='not in the annotation'):
        image_id_of('/y.jpg', ids)
    with pytest.raises(ValueError, match='no COCO image id'):
        image_id_of('/frame_a.jpg')


@pytest.mark.slow
def test_boxes_from_an_mmdetection_model_are_filtered_as_mmposes_demo():
    """A detector with random weights (no download): its boxes pass the label and score
    filter and no two kept boxes overlap more than the NMS threshold."""
    import os.path as osp

    import mmdet
    import torch
    from mmpose.structures.bbox import bbox_overlaps

    from vitpose_ext.inference import DetectorBoxes
    config = osp.join(osp.dirname(mmdet.__file__), '.mim', 'configs', 'rtmdet',
                      'rtmdet_tiny_8xb32-300e_coco.py')
    detector = DetectorBoxes(config, None, category_id=0, score_thr=0.0, nms_thr=0.3)
    image = np.random.default_rng(0).integers(0, 255, (120, 160, 3), np.uint8)
    boxes, = detector([image])
    assert boxes.shape[1] == 5 and (boxes[:, 4] > 0).all()
    iou = bbox_overlaps(torch.from_numpy(boxes[:, :4]), torch.from_numpy(boxes[:, :4])).numpy()
    assert (iou[~np.eye(len(boxes), dtype=bool)] <= 0.3 + 1e-6).all()
    with pytest.raises(ValueError, match='DetectorBoxes: nms_thr'):
        DetectorBoxes(config, None, nms_thr=2)
