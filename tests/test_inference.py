"""MMPose's user-facing inference paths on this package's configs: the inferencer for every model
family, inference_topdown, the image demo, and pictures drawn under NumPy 2."""
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData

from helpers.common import REPO, first_val_image
from model_families import CONFIGS
from mmpose.registry import MODELS

FAMILIES = {name: CONFIGS[name] for name in (
    'vitpose', 'vitpose-swin', 'baseline', 'simdr', 'simdr-token', 'pct', 'kd-student',
    'kd-deployed', 'vitpose-pp')}
FAMILIES['vitpose-pp-merged'] = CONFIGS['vitpose-pp-merged-1']  # one data set's experts merged
FAMILIES['vitpose-b-coco'] = 'configs/vitpose/td-hm_vitpose-b_8xb64-210e_coco-256x192.py'


@pytest.fixture(scope='module')
def image(synth_root):
    return first_val_image(synth_root)


def random_checkpoint(config, path):
    """The config's model with random weights, saved as a checkpoint."""
    init_default_scope('mmpose')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(config).model)
    torch.save({'state_dict': model.state_dict()}, path)
    return str(path)


@pytest.mark.parametrize('family', FAMILIES)
def test_mmpose_inferencer_predicts_and_draws(family, image, tmp_path):
    from mmpose.apis import MMPoseInferencer
    config = osp.join(REPO, FAMILIES[family])
    checkpoint = random_checkpoint(config, tmp_path / 'model.pth')
    inferencer = MMPoseInferencer(pose2d=config, pose2d_weights=checkpoint, device='cpu',
                                  det_model='whole_image')
    result = next(inferencer(image, return_vis=True, kpt_thr=-1.0))
    (instance, ), = result['predictions']
    keypoints = np.array(instance['keypoints'])
    assert keypoints.shape == (17, 2) and np.isfinite(keypoints).all()
    assert len(instance['keypoint_scores']) == 17
    picture = result['visualization'][0]
    assert picture.shape == cv2.imread(image).shape
    assert (picture != cv2.imread(image)[..., ::-1]).any()  # the skeleton was drawn (RGB out)


@pytest.mark.slow
def test_inference_topdown_and_the_image_demo(image, tmp_path):
    from mmpose.apis import inference_topdown, init_model
    import mmpose
    config = osp.join(REPO, FAMILIES['vitpose'])
    checkpoint = random_checkpoint(config, tmp_path / 'model.pth')
    model = init_model(config, checkpoint, device='cpu')
    samples = inference_topdown(model, image, bboxes=np.array([[10, 10, 100, 120]]))
    assert samples[0].pred_instances.keypoints.shape == (1, 17, 2)
    # a grayscale (H, W) array is predicted as its colour version is (it raised IndexError)
    gray = cv2.cvtColor(cv2.imread(image), cv2.COLOR_BGR2GRAY)
    from_gray = inference_topdown(model, gray, bboxes=np.array([[10, 10, 100, 120]]))
    from_color = inference_topdown(model, cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR),
                                   bboxes=np.array([[10, 10, 100, 120]]))
    np.testing.assert_array_equal(from_gray[0].pred_instances.keypoints,
                                  from_color[0].pred_instances.keypoints)

    demo = osp.join(osp.dirname(mmpose.__file__), '.mim', 'demo', 'image_demo.py')
    out = tmp_path / 'demo.jpg'
    run = subprocess.run([sys.executable, demo, image, config, checkpoint, '--out-file', str(out),
                          '--device', 'cpu', '--kpt-thr', '-1'], capture_output=True, text=True,
                         cwd=REPO)
    assert run.returncode == 0, run.stderr[-2000:]
    assert cv2.imread(str(out)) is not None


def test_the_visualizer_draws_keypoints_above_the_threshold():
    """MMPose's OpenCV drawing of keypoints under NumPy 2 (it raised TypeError before the fix)."""
    import vitpose_ext  # noqa: F401
    from mmpose.structures import PoseDataSample
    from mmpose.visualization import PoseLocalVisualizer
    from mmpose.datasets.datasets.utils import parse_pose_metainfo
    visualizer = PoseLocalVisualizer(radius=4, name='test_compat_visualizer')
    visualizer.set_dataset_meta(parse_pose_metainfo(dict(from_file='configs/_base_/datasets/coco.py')))
    canvas = np.zeros((100, 100, 3), np.uint8)
    sample = PoseDataSample()
    keypoints = np.full((1, 17, 2), 50.0)
    keypoints[0, 0] = (20, 30)
    scores = np.full((1, 17), 0.1)
    scores[0, 0] = 0.9  # only the nose passes kpt_thr=0.5
    sample.pred_instances = InstanceData(keypoints=keypoints, keypoint_scores=scores,
                                         keypoints_visible=scores)  # as predictions hold them
    drawn = visualizer.add_datasample('x', canvas, sample, draw_gt=False, kpt_thr=0.5, show=False)
    assert drawn[30, 20].any()  # the nose's circle
    assert not drawn[50, 50].any()  # below the threshold: not drawn


@pytest.mark.slow
def test_test_py_show_dir_and_browse_dataset_draw_pictures(synth_root, tmp_path):
    """MMPose's tools/test.py --show-dir and tools/misc/browse_dataset.py on a config here."""
    import glob

    import mmpose
    from config_utils import shrink_for_smoke_run
    tools = osp.join(osp.dirname(mmpose.__file__), '.mim', 'tools')
    cfg = shrink_for_smoke_run(Config.fromfile(osp.join(REPO, FAMILIES['vitpose'])), synth_root,
                               tmp_path / 'work')
    config = str(tmp_path / 'config.py')
    cfg.dump(config)
    checkpoint = random_checkpoint(config, tmp_path / 'model.pth')
    run = subprocess.run([sys.executable, osp.join(tools, 'test.py'), config, checkpoint,
                          '--show-dir', str(tmp_path / 'show')], capture_output=True, text=True,
                         cwd=REPO)
    assert run.returncode == 0, run.stderr[-2000:]
    pictures = glob.glob(str(tmp_path / 'show' / '*.png'))
    assert pictures and cv2.imread(pictures[0]) is not None
    run = subprocess.run([sys.executable, osp.join(tools, 'misc', 'browse_dataset.py'), config,
                          '--output-dir', str(tmp_path / 'browse'), '--not-show',
                          '--max-item-per-dataset', '2'], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(glob.glob(str(tmp_path / 'browse' / '*'))) == 2
