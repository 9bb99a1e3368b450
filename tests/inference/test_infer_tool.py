"""tools/infer.py and tools/deploy/quantize_onnx.py end to end on the real samples, and the
onnxruntime backend against PyTorch."""
import json
import os.path as osp

import cv2
import pytest

from helpers.common import run_script
from helpers.realdata import coco_image, realdata_path, some_boxes
from test_predictor import our_outputs
from test_results import COCO_META
from vitpose_ext.inference import TopdownPredictor

pytest.importorskip('onnxruntime')
pytest.importorskip('onnxscript')
pytestmark = [pytest.mark.slow, pytest.mark.realdata]  # subprocesses, ONNX export

POSETRACK = ('posetrack18', 'annotations')


@pytest.fixture(scope='module')
def onnx_files(model_files, tmp_path_factory):
    """(config, checkpoint, fp32 file, int8 file) of the heatmap model."""
    from vitpose_ext.deploy.onnx_export import build_export_module, export_onnx
    config, checkpoint = model_files('vitpose')
    tmp = tmp_path_factory.mktemp('onnx')
    fp32 = export_onnx(*build_export_module(config, checkpoint), str(tmp / 'model.onnx'))
    int8 = str(tmp / 'model_int8.onnx')
    stdout = run_script('tools/deploy/quantize_onnx.py', fp32,
                        realdata_path('posetrack18', 'images', 'val', '*', '000000.jpg'),
                        '--bbox-file',
                        realdata_path(*POSETRACK, 'test_posetrack18_human_detections.json'),
                        '--ann-file', realdata_path(*POSETRACK, 'test_posetrack18_val.json'),
                        '--max-crops', 16, '--out', int8).stdout
    assert 'calibrated on 32 crops' in stdout  # 16 persons and their mirror images
    return config, checkpoint, fp32, int8


@pytest.mark.numerics
def test_onnxruntime_backend_matches_pytorch_and_int8_follows(onnx_files, coco_sample):
    import onnx
    config, checkpoint, fp32, int8 = onnx_files
    folder, boxes, _ = coco_sample
    image, boxes = cv2.imread(coco_image(folder, 785)), some_boxes(boxes, 785)
    (torch_maps, ), _ = our_outputs(TopdownPredictor(config, checkpoint), image, boxes)
    ort = TopdownPredictor(config, checkpoint, backend='onnxruntime', onnx_file=fp32)
    (ort_maps, ), _ = our_outputs(ort, image, boxes)
    # as tests/deploy/test_onnx.py: fp32, 4 blocks, ~1e-6 seen for maps <= ~1
    assert (ort_maps - torch_maps).abs().max() < 1e-4
    ops = {node.op_type for node in onnx.load(int8).graph.node}
    assert {'QuantizeLinear', 'DequantizeLinear'} <= ops
    (int8_maps, ), _ = our_outputs(TopdownPredictor(
        config, checkpoint, backend='onnxruntime', onnx_file=int8), image, boxes)
    # int8 weights and activations (per-channel weights, 16 calibration persons): a few
    # percent of the maps' norm; a broken calibration or scale gives ~1
    relative = ((int8_maps - torch_maps).norm() / torch_maps.norm()).item()
    assert 0 < relative < 0.25


def test_an_onnx_file_of_another_model_is_refused(onnx_files, model_files):
    _, _, fp32, _ = onnx_files
    config, checkpoint = model_files('simdr')
    with pytest.raises(ValueError, match='model.onnx has kind'):
        TopdownPredictor(config, checkpoint, backend='onnxruntime', onnx_file=fp32)


def test_infer_on_the_coco_sample_writes_results_that_cocometric_scores(model_files,
                                                                        coco_sample, tmp_path):
    from mmpose.evaluation import CocoMetric
    config, checkpoint = model_files('vitpose')
    folder, boxes, ann_file = coco_sample
    out = tmp_path / 'res.keypoints.json'
    stdout = run_script('tools/infer.py', config, checkpoint, folder, '--bbox-file',
                        osp.join(folder, 'test_coco_det_AP_H_56.json'), '--out-file', out,
                        '--vis-dir', tmp_path / 'vis', '--batch-size', 16).stdout
    assert '4 images, 118 persons' in stdout
    results = json.loads(out.read_text())
    assert {r['image_id'] for r in results} <= set(boxes) and 0 < len(results) <= 118
    assert all(len(r['keypoints']) == 17 * 3 for r in results)
    metric = CocoMetric(ann_file=ann_file)
    metric.dataset_meta = COCO_META
    stats = dict(metric._do_python_keypoint_eval(str(tmp_path / 'res')))
    assert 0 <= stats['AP'] <= 1
    assert sorted(osp.basename(p) for p in (tmp_path / 'vis').iterdir()) == sorted(
        f'{i:012d}.jpg' for i in boxes)


def test_infer_smooths_the_posetrack_video(model_files, tmp_path):
    config, checkpoint = model_files('vitpose')
    video = realdata_path('posetrack18', 'videos', '000001_mpiinew_test',
                          '000001_mpiinew_test.mp4')
    out = tmp_path / 'video.json'
    stdout = run_script('tools/infer.py', config, checkpoint, video, '--smooth', '--out-file',
                        out, '--vis-dir', tmp_path / 'vis', '--oks-nms-thr', -1).stdout
    assert '5 images, 5 persons' in stdout  # whole frames: one box each
    assert [r['image_id'] for r in json.loads(out.read_text())] == list(range(5))
    capture = cv2.VideoCapture(str(tmp_path / 'vis' / '000001_mpiinew_test.mp4'))
    assert int(capture.get(cv2.CAP_PROP_FRAME_COUNT)) == 5
    assert (capture.get(cv2.CAP_PROP_FRAME_WIDTH), capture.get(cv2.CAP_PROP_FRAME_HEIGHT)) == (
        1280, 720)
