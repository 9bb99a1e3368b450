"""Annotation files with errors are reported when our checked data sets (``CheckedCocoDataset``,
...) are built, naming the file, the annotation and the image; left-out instances are counted in
the log. MMPose's own data sets stay as they are."""
import copy
import json

import pytest
from mmengine.registry import init_default_scope

import vitpose_ext  # noqa: F401  (registers the checked data sets)
from helpers.common import captured_log
from mmpose.registry import DATASETS


def build(root, ann, test_mode=False, name='ann.json', data_root=None, type='CheckedCocoDataset'):
    """The data set of annotation file root/name (written from ``ann``), images of
    ``data_root`` (default: the synthetic set's)."""
    path = root / name
    path.write_text(json.dumps(ann) if not isinstance(ann, str) else ann)
    init_default_scope('mmpose')
    return DATASETS.build(dict(type=type, data_root=str(data_root or build.images),
                               ann_file=str(path), data_prefix=dict(img='val/'),
                               data_mode='topdown', test_mode=test_mode, pipeline=[]))


@pytest.fixture
def ann(synth_root):
    build.images = synth_root
    return json.load(open(f'{synth_root}/annotations/person_keypoints_val.json'))


def test_a_clean_file_builds(ann, tmp_path):
    assert len(build(tmp_path, ann)) > 0


def test_truncated_json_names_the_file(ann, tmp_path):
    with pytest.raises(ValueError, match=r'ann\.json is not valid JSON.*truncated'):
        build(tmp_path, json.dumps(ann)[:500])


def test_mmpose_s_own_data_set_is_unchanged(ann, tmp_path):
    """The checks are opt-in: the stock CocoDataset still fails as MMPose makes it fail."""
    with pytest.raises(json.JSONDecodeError):
        build(tmp_path, json.dumps(ann)[:500], type='CocoDataset')


def test_wrong_keypoint_count_names_annotation_and_image(ann, tmp_path):
    bad = copy.deepcopy(ann)
    target = bad['annotations'][1]
    target['keypoints'] = target['keypoints'][:16 * 3]
    image = next(i['file_name'] for i in bad['images'] if i['id'] == target['image_id'])
    with pytest.raises(ValueError, match=f"annotation {target['id']} .image {image}.*has 16 "
                       'keypoints.*has 17'):
        build(tmp_path, bad)


@pytest.mark.parametrize('field', ['keypoints', 'bbox'])
def test_nan_in_ground_truth_names_the_annotation(ann, tmp_path, field):
    bad = copy.deepcopy(ann)
    bad['annotations'][0][field][1] = float('nan')
    with pytest.raises(ValueError, match=f"annotation {bad['annotations'][0]['id']} .*{field} "
                       'hold NaN'):
        build(tmp_path, bad, test_mode=True)


def test_left_out_instances_are_counted(ann, tmp_path):
    bad = copy.deepcopy(ann)
    bad['annotations'][0]['bbox'][2] = 0  # zero width
    bad['annotations'][1]['num_keypoints'] = 0
    bad['annotations'][1]['keypoints'] = [0] * 51
    with captured_log() as records:
        dataset = build(tmp_path, bad)
    line = next(r.getMessage() for r in records if 'left out' in r.getMessage())
    assert f'{len(dataset)} instances from' in line
    assert '1 zero-size box' in line and '1 no labelled keypoint' in line


def test_an_empty_data_set_is_an_error(ann, tmp_path):
    empty = dict(ann, annotations=[])
    with pytest.raises(ValueError, match='ann.json has no usable instance'):
        build(tmp_path, empty, test_mode=True)


def test_missing_images_are_named(ann, tmp_path):
    (tmp_path / 'val').mkdir()  # no images in it
    with pytest.raises(FileNotFoundError, match=r'images of .*ann\.json do not exist, e\.g\. '):
        build(tmp_path, ann, data_root=tmp_path)
