"""Inputs: images, folders, globs and videos; batches grouped by persons; padding."""
import os.path as osp

import cv2
import numpy as np
import pytest

from helpers.realdata import realdata_path
from vitpose_ext.inference import ImageFiles, PersonBatchSampler, VideoFrames, list_images
from vitpose_ext.inference.sources import collate, make_loader


@pytest.fixture
def folder(tmp_path):
    for name, shape in [('b.png', (20, 30)), ('a.jpg', (10, 40)), ('c.txt', None)]:
        if shape:
            cv2.imwrite(str(tmp_path / name), np.full(shape + (3, ), 100, np.uint8))
        else:
            (tmp_path / name).write_text('not an image')
    return tmp_path


def test_list_images_of_a_folder_a_glob_and_a_file(folder):
    assert [osp.basename(p) for p in list_images(str(folder))] == ['a.jpg', 'b.png']
    assert [osp.basename(p) for p in list_images(str(folder / '*.png'))] == ['b.png']
    assert list_images(str(folder / 'a.jpg')) == [str(folder / 'a.jpg')]
    with pytest.raises(ValueError, match='no file, folder or glob'):
        list_images(str(folder / 'missing'))
    with pytest.raises(ValueError, match='holds no images'):
        list_images(str(folder / '*.txt'))


def test_items_carry_whole_image_boxes_and_an_unreadable_image_is_named(folder):
    dataset = ImageFiles(list_images(str(folder)), (48, 64), whole_image=True)
    item = dataset[0]
    assert item['image'].shape == (10, 40, 3) and item['image_id'] == 0
    np.testing.assert_array_equal(item['boxes'], [[0, 0, 40, 10, 1]])
    assert item['inverse'].shape == (1, 2, 3)
    bad = ImageFiles([str(folder / 'c.txt')], (48, 64), whole_image=True)
    with pytest.raises(ValueError, match='c.txt'):
        bad[0]


def test_batches_hold_at_most_batch_size_persons():
    assert list(PersonBatchSampler([2, 3, 1, 0, 5, 1], 4)) == [[0], [1, 2, 3], [4], [5]]
    with pytest.raises(ValueError, match='PersonBatchSampler'):
        PersonBatchSampler([1], 0)


def test_collate_pads_images_top_left_with_zeros(folder):
    dataset = ImageFiles(list_images(str(folder)), (48, 64), whole_image=True)
    batch = collate([dataset[0], dataset[1]])
    assert tuple(batch['images'].shape) == (2, 20, 40, 3)
    assert (batch['images'][0, :10, :40] == 100).all() and (batch['images'][0, 10:] == 0).all()
    assert (batch['images'][1, :, 30:] == 0).all()
    assert [i['shape'] for i in batch['items']] == [(10, 40), (20, 30)]


@pytest.mark.realdata
def test_a_video_is_read_in_order():
    path = realdata_path('posetrack18', 'videos', '000001_mpiinew_test',
                         '000001_mpiinew_test.mp4')
    video = VideoFrames(path, (48, 64), whole_image=True)
    assert video.fps == 30 and video.frame_size == (1280, 720)
    loader = make_loader(video, batch_size=2, num_workers=1)
    frames = [item for batch in loader for item in batch['items']]
    assert [f['frame'] for f in frames] == list(range(5))
    capture = cv2.VideoCapture(path)
    reference = [capture.read()[1] for _ in range(5)]
    batches = list(make_loader(video, batch_size=5, num_workers=0))
    for i, image in enumerate(reference):
        np.testing.assert_array_equal(batches[0]['images'][i].numpy(), image)
