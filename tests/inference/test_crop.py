"""Batched crops on the device against MMPose's test pipeline (GetBBoxCenterScale +
TopdownAffine, cv2.warpAffine on uint8 images)."""
import cv2
import numpy as np
import pytest
from mmengine.dataset import Compose
from mmpose.datasets.transforms import GetBBoxCenterScale, TopdownAffine

from helpers.realdata import coco_image
from vitpose_ext.inference import batch_crops, crop_frames
from vitpose_ext.inference.sources import collate


def mmpose_crops(image, boxes, input_size, use_udp):
    pipeline = Compose([GetBBoxCenterScale(), TopdownAffine(input_size, use_udp=use_udp)])
    crops, centers, scales = [], [], []
    for box in boxes:
        out = pipeline(dict(img=image.copy(), bbox=box[None, :4],
                            bbox_score=np.ones(1, np.float32)))
        crops.append(out['img'].transpose(2, 0, 1))
        centers.append(out['bbox_center'][0])
        scales.append(out['bbox_scale'][0])
    return np.stack(crops).astype(np.float32), np.stack(centers), np.stack(scales)


def our_crops(images, boxes, input_size, use_udp):
    items = []
    for image, b in zip(images, boxes):
        c, s, inv = crop_frames(b, input_size, use_udp=use_udp)
        items.append(dict(image=image, boxes=b, centers=c, scales=s, inverse=inv))
    batch = collate(items)
    return batch_crops(batch['images'], batch['items'], input_size).numpy(), items


@pytest.mark.realdata
@pytest.mark.parametrize('use_udp', [True, False])
def test_crops_of_a_batch_of_images_equal_mmposes(coco_sample, use_udp):
    """Four real images of three sizes in one batch, all 118 detected persons in one call."""
    folder, boxes, _ = coco_sample
    ids = sorted(boxes)
    images = [cv2.imread(coco_image(folder, i)) for i in ids]
    assert len({im.shape for im in images}) > 1  # the padding is exercised
    crops, items = our_crops(images, [boxes[i] for i in ids], (192, 256), use_udp)
    expected = [mmpose_crops(im, boxes[i], (192, 256), use_udp) for im, i in zip(images, ids)]
    reference = np.concatenate([e[0] for e in expected])
    # the same bilinear value in float32 instead of OpenCV's order of operations: a value on
    # a rounding boundary (x.5 grey levels) may round the other way
    assert np.abs(crops - reference).max() <= 1
    assert (crops != reference).mean() < 1e-3
    for item, (_, centers, scales) in zip(items, expected):
        np.testing.assert_allclose(item['centers'], centers, rtol=1e-6)
        np.testing.assert_allclose(item['scales'], scales, rtol=1e-6)


def test_outside_the_image_is_black_also_next_to_a_larger_image():
    """A crop reaching past a small image's border reads zeros, not the padding's neighbour
    image (OpenCV's constant border), and each crop reads its own image."""
    small = np.full((40, 30, 3), 200, np.uint8)
    large = np.full((100, 120, 3), 50, np.uint8)
    boxes = [np.array([[10, 10, 50, 60, 1]], np.float32),  # past the small image's edges
             np.array([[0, 0, 120, 100, 1]], np.float32)]
    crops, _ = our_crops([small, large], boxes, (48, 64), True)
    for crop, image, box in zip(crops, [small, large], boxes):
        expected = mmpose_crops(image, box, (48, 64), True)[0][0]
        assert (expected == 0).any()  # the crops reach past their image
        assert np.abs(crop - expected).max() <= 1
    assert crops[1].max() <= 50  # nothing of the small image

