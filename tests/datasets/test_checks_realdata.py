"""The checked data sets (``CheckedCocoDataset``, ...) on the real sample files of
../shared/realdata, copied into tmp_path and damaged there: each damage stops the build with an
error naming the file, the annotation or image id and the key at fault."""
import json
import shutil

import pytest
from mmengine.registry import init_default_scope

import vitpose_ext  # noqa: F401  (registers the checked data sets)
from helpers.realdata import realdata_path
from mmpose.registry import DATASETS

pytestmark = pytest.mark.realdata

COCO, WHOLEBODY, MPII = 'test_coco.json', 'test_coco_wholebody.json', 'test_mpii.json'
DETECTIONS = 'test_coco_det_AP_H_56.json'
FOLDER = {COCO: 'coco', WHOLEBODY: 'coco', MPII: 'mpii'}


def real(name):
    """The real annotation file ``name``, parsed."""
    with open(realdata_path(FOLDER.get(name, 'coco'), name)) as f:
        return json.load(f)


def write(tmp_path, name, content):
    """``content`` (JSON, or text as it is) written to tmp_path/name; its path."""
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def build(type, ann_file, images=None, **kwargs):
    """The data set ``type`` of ``ann_file``, images of ``images`` (default: the real folder of
    the annotation file's data set)."""
    folder = 'mpii' if 'Mpii' in type else 'coco'
    init_default_scope('mmpose')
    return DATASETS.build(dict(type=type, ann_file=ann_file, data_mode='topdown', pipeline=[],
                               data_prefix=dict(img=str(images or realdata_path(folder))),
                               **kwargs))


def first_annotation(ann):
    """The annotation a COCO-style data set parses first (first image, then file order)."""
    first_image = ann['images'][0]['id']
    return next(a for a in ann['annotations'] if a['image_id'] == first_image)


def error(exc_type, *args, **kwargs):
    """The message of the ``exc_type`` that building the data set raises."""
    with pytest.raises(exc_type) as info:
        build(*args, **kwargs)
    return str(info.value)


@pytest.mark.parametrize('type, name, kwargs', [
    ('CheckedCocoDataset', COCO, {}),
    ('CheckedCocoWholeBodyDataset', WHOLEBODY, {}),
    ('CheckedMpiiDataset', MPII, {}),
    ('CheckedCocoDataset', COCO, dict(bbox_file=DETECTIONS, test_mode=True)),
])
def test_the_real_files_build(tmp_path, type, name, kwargs):
    """Undamaged, each file builds: the errors below come from the damage."""
    if 'bbox_file' in kwargs:
        kwargs['bbox_file'] = write(tmp_path, DETECTIONS, real(DETECTIONS))
    assert len(build(type, write(tmp_path, name, real(name)), **kwargs)) > 0


@pytest.mark.parametrize('type, name', [('CheckedCocoDataset', COCO),
                                        ('CheckedMpiiDataset', MPII)])
def test_a_truncated_file_names_the_file_and_where_it_ends(tmp_path, type, name):
    with open(realdata_path(FOLDER[name], name)) as f:
        text = f.read()
    cut = text[:len(text) // 2]
    with pytest.raises(json.JSONDecodeError) as decode:
        json.loads(cut)
    path = write(tmp_path, name, cut)
    message = error(ValueError, type, path)
    assert message.startswith(f'{type}: {path} is not valid JSON')
    assert f'(char {decode.value.pos})' in message and 'truncated' in message


def test_16_of_17_coco_keypoints_name_the_annotation_and_image(tmp_path):
    ann = real(COCO)
    target = next(a for a in ann['annotations'] if a['image_id'] == 40083)
    target['keypoints'] = target['keypoints'][:16 * 3]
    path = write(tmp_path, COCO, ann)
    message = error(ValueError, 'CheckedCocoDataset', path)
    assert message.startswith(f"CheckedCocoDataset: {path}: annotation {target['id']} "
                              '(image 000000040083.jpg, id 40083)')
    assert 'has 16 keypoints (key keypoints)' in message and 'has 17' in message


@pytest.mark.parametrize('key', ['joints', 'joints_vis'])
def test_an_mpii_joint_missing_names_the_annotation_and_image(tmp_path, key):
    """MMPose's ``MpiiDataset`` reads MPII's json without ``parse_data_info``: the checks run
    all the same (without them, this file builds and fails at collate time)."""
    ann = real(MPII)
    del ann[2][key][7]
    image = ann[2]['image']
    path = write(tmp_path, MPII, ann)
    message = error(ValueError, 'CheckedMpiiDataset', path)
    assert message.startswith(f'CheckedMpiiDataset: {path}: annotation 2 (image {image}, '
                              f"id {int(image.split('.')[0])})")
    assert f'has 15 keypoints (key {key})' in message and 'has 16' in message


@pytest.mark.parametrize('name, type, gone, image_id, key', [
    (COCO, 'CheckedCocoDataset', '000000040083.jpg', 40083, 'file_name'),
    (MPII, 'CheckedMpiiDataset', '005808361.jpg', 5808361, 'image'),
])
def test_an_image_missing_on_disk_is_named(tmp_path, name, type, gone, image_id, key):
    images = tmp_path / 'images'
    shutil.copytree(realdata_path(FOLDER[name]), images,
                    ignore=shutil.ignore_patterns(gone, '*.json'))
    path = write(tmp_path, name, real(name))
    message = error(FileNotFoundError, type, path, images=images)
    assert message.startswith(f'{type}: 1 of ')
    assert f'images of {path} do not exist, e.g. {images / gone} (image id {image_id})' in message
    assert f"its '{key}' under data_prefix" in message


def test_detections_of_other_images_name_both_files_and_the_ids(tmp_path):
    detections = real(DETECTIONS)
    detections[3]['image_id'], detections[40]['image_id'] = 139, 632  # val2017, not in the file
    bbox_file = write(tmp_path, DETECTIONS, detections)
    path = write(tmp_path, COCO, real(COCO))
    message = error(ValueError, 'CheckedCocoDataset', path, bbox_file=bbox_file, test_mode=True)
    assert message.startswith(f'CheckedCocoDataset: the image_id of detections in {bbox_file} '
                              f'are not images of {path}: 2 unknown ids, e.g. 139, 632')


def test_mmpose_s_own_data_set_still_fails_on_those_detections(tmp_path):
    """The check is ours: MMPose's ``CocoDataset`` raises its bare ``KeyError``."""
    detections = real(DETECTIONS)
    detections[0]['image_id'] = 139
    with pytest.raises(KeyError, match='139'):
        build('CocoDataset', write(tmp_path, COCO, real(COCO)),
              bbox_file=write(tmp_path, DETECTIONS, detections), test_mode=True)


def test_a_wholebody_file_is_refused_by_the_coco_data_set(tmp_path):
    ann = real(WHOLEBODY)
    path = write(tmp_path, WHOLEBODY, ann)
    message = error(ValueError, 'CheckedCocoDataset', path)
    assert message == (f'CheckedCocoDataset: {path} is a COCO-WholeBody file (annotation '
                       f"{first_annotation(ann)['id']} has the key 'foot_kpts'); use "
                       'CheckedCocoWholeBodyDataset')


def test_a_coco_file_is_refused_by_the_wholebody_data_set(tmp_path):
    ann = real(COCO)
    first = first_annotation(ann)
    path = write(tmp_path, COCO, ann)
    message = error(ValueError, 'CheckedCocoWholeBodyDataset', path)
    assert message.startswith(f"CheckedCocoWholeBodyDataset: {path}: annotation {first['id']} "
                              f"(image 000000000785.jpg, id {first['image_id']}) has no "
                              "'foot_kpts'")
