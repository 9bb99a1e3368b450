"""Every user entry point on the real pictures of ../shared/realdata: MMPose's inferencer (given
the real COCO detections as its boxes, and on the PoseTrack18 video), its image demo, its
tools/test.py --show-dir and tools/misc/browse_dataset.py over the real COCO sample, and our ONNX
runner on the crops of the real detections. The model is the tiny ViTPose with trained-looking
random weights (nothing here is about accuracy): each test asserts what its pictures, video,
predictions or keypoints must show."""
import collections
import glob
import json
import os.path as osp
import re
import sys

import cv2
import mmpose
import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

from helpers.common import REPO, mmpose_crops, perturbed_checkpoint, run_script
from helpers.numerics import dark_udp_error_bound
from helpers.realdata import realdata_path
from mmpose.registry import DATASETS

pytestmark = pytest.mark.realdata

TINY = osp.join(REPO, 'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py')
# the config whose data paths are the real COCO set's (under VITPOSE_DATA_ROOT)
COCO = 'configs/vitpose/td-hm_vitpose-b_8xb64-210e_coco-256x192.py'
VIDEO = ('posetrack18', 'videos', '000001_mpiinew_test', '000001_mpiinew_test.mp4')
MIM = osp.join(osp.dirname(mmpose.__file__), '.mim')  # MMPose's demo/ and tools/ scripts
SCORE_THR = 0.5  # the detections given as boxes: 18 of the 118, 1 to 6 per image
PADDING = 1.25  # the pipeline's box padding (GetBBoxCenterScale)


@pytest.fixture(scope='module')
def checkpoint(tmp_path_factory):
    return perturbed_checkpoint(TINY, tmp_path_factory.mktemp('model') / 'tiny.pth')


@pytest.fixture(scope='module')
def detections():
    """{image path: boxes (N, 5) x1, y1, x2, y2, score} of the real COCO detections scoring
    above SCORE_THR."""
    from vitpose_ext.inference import load_detections
    boxes = load_detections(realdata_path('coco', 'test_coco_det_AP_H_56.json'), SCORE_THR)
    return {realdata_path('coco', f'{i:012d}.jpg'): b for i, b in sorted(boxes.items())}


def image_size(path):
    """(h, w, 3) of an image file, or of a picture an entry point wrote (None if unreadable)."""
    picture = cv2.imread(str(path))
    return None if picture is None else picture.shape


def video_frames(path):
    """(number of frames read, {(h, w, 3) of the frames}) of a video file."""
    capture, shapes = cv2.VideoCapture(str(path)), []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        shapes.append(frame.shape)
    capture.release()
    return len(shapes), set(shapes)


def real_coco_options(real_config, phase, bbox_file=True):
    """The overrides (``--cfg-options``) pointing the tiny, synthetic-COCO config's ``phase``
    data set (and, for 'test', evaluator) at the real COCO sample, with the paths the COCO
    config reads under VITPOSE_DATA_ROOT: its detections as boxes, or the ground-truth boxes
    (``bbox_file=False``). No data loader workers (two CPUs)."""
    coco = real_config(COCO)
    real, loader = coco.val_dataloader.dataset, f'{phase}_dataloader.'
    options = {loader + 'dataset.data_root': real.data_root,
               loader + 'dataset.ann_file': real.ann_file,
               loader + 'dataset.data_prefix.img': real.data_prefix.img,
               loader + 'dataset.bbox_file': real.bbox_file if bbox_file else None,
               loader + 'num_workers': 0, loader + 'persistent_workers': False}
    if phase == 'test':
        options['test_evaluator.ann_file'] = coco.test_evaluator.ann_file
    return options


def as_arguments(options):
    return ['--cfg-options'] + [f'{key}={value}' for key, value in options.items()]


def pictures_per_image(folder):
    """{COCO image file name: [shapes of the pictures named after it]} of the pictures in
    ``folder``, one per person: tools/test.py names them ``<image>_<n>.jpg``, browse_dataset.py
    ``<image>.jpg``, ``<image>(<n>).jpg``."""
    found = collections.defaultdict(list)
    for path in glob.glob(osp.join(folder, '*')):
        found[re.match(r'\d{12}', osp.basename(path)).group() + '.jpg'].append(image_size(path))
    return dict(found)


def drawn_pixels(picture, image):
    """How many pixels of the picture differ from the image by more than 100 grey levels in a
    channel: none for a JPEG round trip of these images, thousands where a skeleton is drawn."""
    drawn, original = cv2.imread(str(picture)).astype(int), cv2.imread(image).astype(int)
    return int((np.abs(drawn - original).max(axis=-1) > 100).sum())


def drawn_ground_truth(item, mode, input_size):
    """(keypoints (K, 2), labelled (K, ), (w, h) of the picture) of a person as
    browse_dataset.py draws it: on the image ('original') or on the input crop ('transformed').
    """
    if mode == 'original':
        height, width = image_size(item['img_path'])[:2]
        return item['keypoints'][0], item['keypoints_visible'][0] > 0, (width, height)
    instances = item['data_samples'].gt_instances
    return (instances.transformed_keypoints[0], instances.keypoints_visible[0] > 0,
            tuple(input_size))


def test_the_inferencer_predicts_each_given_box_and_draws_each_image(checkpoint, detections,
                                                                     tmp_path):
    """MMPoseInferencer with no detector and the real detections as ``bboxes``: a person per
    box, in that box, and a picture per image with the skeletons drawn. (``det_model=None``
    would build MMPose's default RTMDet, downloading its weights, wherever mmdet is installed:
    'whole_image' is MMPose's name for no detector.)"""
    from mmpose.apis import MMPoseInferencer
    inferencer = MMPoseInferencer(pose2d=TINY, pose2d_weights=checkpoint, device='cpu',
                                  det_model='whole_image')
    images = list(detections)
    results = list(inferencer(images, bboxes=[detections[i] for i in images], kpt_thr=-1.0,
                              vis_out_dir=str(tmp_path / 'vis')))
    assert len(results) == len(images)
    for image, result in zip(images, results):
        (people, ) = result['predictions']
        given = detections[image]
        assert len(people) == len(given), (osp.basename(image), len(people), len(given))
        np.testing.assert_allclose([p['bbox'][0] for p in people], given[:, :4], rtol=1e-5)
        keypoints = np.array([p['keypoints'] for p in people])
        assert keypoints.shape == (len(given), 17, 2) and np.isfinite(keypoints).all()
        picture = tmp_path / 'vis' / osp.basename(image)
        assert image_size(picture) == image_size(image) and drawn_pixels(picture, image) > 200


def test_the_inferencer_draws_every_frame_of_the_video(checkpoint, tmp_path):
    """MMPoseInferencer on the PoseTrack18 mp4: a drawn video of as many frames, of the same
    size, and a prediction per frame."""
    from mmpose.apis import MMPoseInferencer
    video = realdata_path(*VIDEO)
    frames, (shape, ) = video_frames(video)
    assert frames == 5  # the sample's
    inferencer = MMPoseInferencer(pose2d=TINY, pose2d_weights=checkpoint, device='cpu',
                                  det_model='whole_image')
    results = list(inferencer(video, kpt_thr=-1.0, vis_out_dir=str(tmp_path / 'vis'),
                              pred_out_dir=str(tmp_path / 'pred')))
    assert len(results) == frames
    assert video_frames(tmp_path / 'vis' / osp.basename(video)) == (frames, {shape})
    with open(tmp_path / 'pred' / (osp.splitext(osp.basename(video))[0] + '.json')) as f:
        predictions = json.load(f)
    assert [p['frame_id'] for p in predictions] == list(range(frames))
    assert all(len(p['instances']) == 1 for p in predictions)  # the whole frame as the box


@pytest.mark.slow  # a subprocess
def test_the_image_demo_draws_the_real_picture(checkpoint, detections, tmp_path):
    """MMPose's demo/image_demo.py (the whole image as the box): the picture, of the image's
    size, with the skeleton drawn."""
    image = next(iter(detections))
    out = tmp_path / 'demo.jpg'
    run_script(osp.join(MIM, 'demo', 'image_demo.py'), image, TINY, checkpoint, '--out-file',
               out, '--device', 'cpu', '--kpt-thr', -1)
    assert image_size(out) == image_size(image) and drawn_pixels(out, image) > 200


@pytest.mark.slow
def test_test_py_scores_and_draws_every_real_detection(checkpoint, real_config, tmp_path):
    """This repository's tools/test.py (MMPose's) with the tiny config pointed at the real COCO
    val set and its 118 detections: the COCO metric runs on the real annotation file, and
    --show-dir holds a picture of the image's size per detection of each of the 4 images."""
    options = real_coco_options(real_config, 'test')
    run = run_script(osp.join(REPO, 'tools', 'test.py'), TINY, checkpoint, '--work-dir',
                     tmp_path / 'work', '--show-dir', tmp_path / 'show', *as_arguments(options))
    assert 'coco/AP:' in run.stdout + run.stderr
    cfg = Config.fromfile(TINY)
    cfg.merge_from_dict(options)
    init_default_scope('mmpose')
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    per_image = collections.Counter(osp.basename(dataset.get_data_info(i)['img_path'])
                                    for i in range(len(dataset)))
    assert len(per_image) == 4 and sum(per_image.values()) == 118
    pictures = pictures_per_image(tmp_path / 'show')
    assert {name: len(shapes) for name, shapes in pictures.items()} == per_image
    for name, shapes in pictures.items():
        assert set(shapes) == {image_size(realdata_path('coco', name))}, name


@pytest.mark.slow  # a subprocess each
@pytest.mark.parametrize('mode', ['original', 'transformed'])
def test_browse_dataset_draws_every_real_person_inside_its_box(mode, real_config, tmp_path):
    """MMPose's tools/misc/browse_dataset.py over the real COCO val set (ground-truth boxes)
    with our validation pipeline: a picture per person (12: two of the 14 have no labelled
    keypoint), of the image's size ('original') or the input's ('transformed'), and every
    labelled keypoint it draws lies inside the picture: in the image and in its box padded as
    the pipeline pads it, or in the input crop."""
    options = real_coco_options(real_config, 'val', bbox_file=False)
    run_script(osp.join(MIM, 'tools', 'misc', 'browse_dataset.py'), TINY, '--phase', 'val',
               '--mode', mode, '--output-dir', tmp_path / 'browse', '--not-show',
               *as_arguments(options))
    cfg = Config.fromfile(TINY)
    cfg.merge_from_dict(options)
    dataset_cfg = cfg.val_dataloader.dataset
    if mode == 'original':  # what the script draws, as it builds it
        dataset_cfg.pipeline = []
    else:
        dataset_cfg.pipeline[-1].pack_transformed = True
    init_default_scope('mmpose')
    dataset = DATASETS.build(dataset_cfg)
    items = [dataset[i] for i in range(len(dataset))]
    assert len(items) == 12

    pictures = pictures_per_image(tmp_path / 'browse')
    paths = [i['img_path'] if mode == 'original' else i['data_samples'].img_path for i in items]
    per_image = collections.Counter(osp.basename(p) for p in paths)
    assert {name: len(shapes) for name, shapes in pictures.items()} == per_image
    w, h = cfg.codec.input_size
    for name, shapes in pictures.items():
        expected = image_size(realdata_path('coco', name)) if mode == 'original' else (h, w, 3)
        assert set(shapes) == {expected}, name

    for path, item in zip(paths, items):
        keypoints, labelled, (width, height) = drawn_ground_truth(item, mode, (w, h))
        assert labelled.any(), path
        inside = (keypoints >= 0) & (keypoints < [width, height])
        assert inside[labelled].all(), (path, keypoints[labelled])
        if mode == 'original':  # and in the box the crop is cut from
            x1, y1, x2, y2 = item['bbox'][0]
            center, half = np.array([x1 + x2, y1 + y2]) / 2, np.array([x2 - x1, y2 - y1]) / 2
            assert (np.abs(keypoints[labelled] - center) <= PADDING * half).all(), path


@pytest.mark.numerics
def test_the_onnx_runner_matches_pytorch_on_the_real_detections(checkpoint, detections,
                                                                 tmp_path):
    """The exported tiny model run by tools/deploy/onnx_topdown.py on the crops of the real
    detections: its crops are MMPose's (to a grey level where OpenCV's fixed-point bilinear
    rounds the other way), and on MMPose's crops its heatmaps are PyTorch's to 1e-5, its
    keypoints as close to inference_topdown's as that lets UDP-DARK decoding move them
    (tests/deploy/test_onnx.py's tolerances, on synthetic images)."""
    pytest.importorskip('onnxruntime')
    pytest.importorskip('onnxscript')
    from mmpose.apis import inference_topdown, init_model

    from vitpose_ext.deploy.onnx_export import build_export_module, export_onnx
    sys.path.insert(0, osp.join(REPO, 'tools', 'deploy'))
    from onnx_topdown import TopdownONNX
    module, meta = build_export_module(TINY, checkpoint)
    helper = TopdownONNX(export_onnx(module, meta, str(tmp_path / 'tiny.onnx')))
    model = init_model(TINY, checkpoint, device='cpu')
    model.test_cfg.update(flip_test=False, output_heatmaps=True)  # the graph has no flip test
    tol, (hw, hh) = 1e-5, meta['heatmap_size']
    compared = []
    for image_path, boxes in detections.items():
        image, boxes = cv2.imread(image_path), boxes[:, :4]
        expected = inference_topdown(model, image, boxes)
        crops, frames = mmpose_crops(model, image, boxes)
        own_crops, own_frames = helper.crops(image, boxes)
        assert np.abs(own_crops - crops).max() <= 1 and (own_crops != crops).mean() < 1e-3
        for (c, s), (own_c, own_s) in zip(frames, own_frames):
            np.testing.assert_allclose(own_c, c, rtol=1e-6)
            np.testing.assert_allclose(own_s, s, rtol=1e-6)

        heatmaps = np.stack([e.pred_fields.heatmaps.numpy() for e in expected])
        assert np.abs(helper.session.run(None, {'input': crops})[0] - heatmaps).max() < tol
        keypoints, scores = helper.predict_crops(crops, frames)
        for n, (_, scale) in enumerate(frames):
            bound = dark_udp_error_bound(heatmaps[n], tol, meta['blur_kernel_size'])
            pixels = bound * np.linalg.norm(scale / [hw - 1, hh - 1])  # heatmap -> image px
            error = np.linalg.norm(keypoints[n] - expected[n].pred_instances.keypoints[0], axis=-1)
            finite = np.isfinite(bound)
            assert (error[finite] <= pixels[finite] + 1e-3).all(), (image_path, error, pixels)
            compared.append(finite.mean())
        np.testing.assert_allclose(
            scores, np.stack([e.pred_instances.keypoint_scores[0] for e in expected]), atol=1e-4)
        # the whole runner, its own crops included: a grey level here and there moves these
        # heatmaps by ~2e-4 (tests/deploy/test_onnx.py)
        assert np.abs(helper.session.run(None, {'input': own_crops})[0] - heatmaps).max() < 1e-3
    assert np.mean(compared) > 0.8, compared  # enough keypoints with a finite bound
