"""ONNX export of every model family: onnxruntime matches PyTorch (dynamic batch), and the
standalone helper's keypoints match MMPose's inference_topdown on the same boxes."""
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from helpers.common import REPO, first_val_image
from mmpose.registry import MODELS

pytest.importorskip('onnxruntime')
pytest.importorskip('onnxscript')
from vitpose_ext.deploy.onnx_export import (build_export_module, export_onnx,  # noqa: E402
                                            max_difference)

sys.path.insert(0, osp.join(REPO, 'tools', 'deploy'))
from onnx_topdown import TopdownONNX  # noqa: E402

pytestmark = pytest.mark.slow  # runs through MMEngine's Runner or a subprocess

CASES = {  # name: (config, backbone overrides, export output, dataset_idx)
    'vitpose': ('configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py', {},
                'default', None),
    'window': ('configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py',
               dict(attn_type='window', window_size=(4, 3)), 'default', None),
    'shifted-pooling-window': (
        'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py',
        dict(attn_type='shifted_pooling_window', window_size=(4, 3), pool_size=(2, 2)),
        'default', None),
    'simdr': ('projects/simdr_vit/configs/'
        'simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py', {}, 'default',
              None),
    'simdr-keypoints': ('projects/simdr_vit/configs/'
        'simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py', {},
                        'keypoints', None),
    'pct': ('configs/pct/pct_vitpose-tiny_1xb32-30e_synthcoco-128x96.py', {}, 'default', None),
    'vitpose-pp-quadrupeds': (
        'projects/vitpose_pp_synthetic/configs/'
            'td-hm_vitpose-pp-tiny_1xb32-30e_synthcoco-synthquadruped-64x64.py',
        {}, 'default', 1),
}


def checkpoint_and_config(name, tmp_path):
    config, overrides, _, _ = CASES[name]
    cfg = Config.fromfile(osp.join(REPO, config))
    cfg.model.backbone.update(overrides)
    path = str(tmp_path / f'{name}.py')
    cfg.dump(path)
    init_default_scope('mmpose')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    with torch.no_grad():  # a trained-looking model: sharp, varied outputs
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.02)
    torch.save({'state_dict': model.state_dict()}, tmp_path / f'{name}.pth')
    return path, str(tmp_path / f'{name}.pth')


@pytest.mark.parametrize('name', CASES)
def test_onnxruntime_matches_pytorch_with_a_dynamic_batch(name, tmp_path):
    config, checkpoint = checkpoint_and_config(name, tmp_path)
    _, _, output, dataset_idx = CASES[name]
    module, meta = build_export_module(config, checkpoint, output, dataset_idx)
    path = export_onnx(module, meta, str(tmp_path / f'{name}.onnx'))  # exported at batch 2
    diffs = max_difference(module, meta, path, batch=3)
    assert set(diffs) == set(meta['outputs'])
    for output_name, diff in diffs.items():
        tol = 1e-3 if output_name == 'keypoints' else 1e-4
        assert diff < tol, (output_name, diff)


@pytest.mark.parametrize('name', ['vitpose', 'simdr-keypoints', 'pct'])
def test_the_helper_matches_mmpose_inference_topdown(name, synth_root, tmp_path):
    from mmpose.apis import inference_topdown, init_model
    config, checkpoint = checkpoint_and_config(name, tmp_path)
    _, _, output, dataset_idx = CASES[name]
    module, meta = build_export_module(config, checkpoint, output, dataset_idx)
    path = export_onnx(module, meta, str(tmp_path / f'{name}.onnx'))
    image = cv2.imread(first_val_image(synth_root))
    boxes = np.array([[10.0, 12.0, 90.0, 120.0], [40.5, 30.25, 110.0, 100.0]])
    model = init_model(config, checkpoint, device='cpu')
    model.test_cfg['flip_test'] = False  # the exported graph has no flip test
    expected = inference_topdown(model, image, boxes)
    keypoints, scores = TopdownONNX(path)(image, boxes)
    for n, sample in enumerate(expected):
        np.testing.assert_allclose(keypoints[n], sample.pred_instances.keypoints[0], atol=2e-2)
        np.testing.assert_allclose(scores[n], sample.pred_instances.keypoint_scores[0],
                                   atol=1e-4)


def test_the_helper_runs_without_torch_and_mmpose(synth_root, tmp_path):
    config, checkpoint = checkpoint_and_config('vitpose', tmp_path)
    module, meta = build_export_module(config, checkpoint)
    path = export_onnx(module, meta, str(tmp_path / 'model.onnx'))
    code = ('import sys; sys.modules["torch"] = sys.modules["mmpose"] = None\n'
            f'sys.path.insert(0, {osp.join(REPO, "tools", "deploy")!r})\n'
            'import cv2, onnx_topdown\n'
            f'image = cv2.imread({first_val_image(synth_root)!r}, 0)  # grayscale\n'
            f'k, s = onnx_topdown.TopdownONNX({path!r})(image, [[5, 5, 100, 100]])\n'
            'print(k.shape, s.shape)')
    run = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == '(1, 17, 2) (1, 17)'


def test_the_export_tool_reports_the_difference(tmp_path):
    config, checkpoint = checkpoint_and_config('simdr', tmp_path)
    run = subprocess.run([sys.executable, osp.join(REPO, 'tools/deploy/export_onnx.py'), config,
                          checkpoint, '--output', 'keypoints'], capture_output=True, text=True,
                         cwd=REPO)
    assert run.returncode == 0, run.stderr[-2000:]
    assert 'max |diff| of keypoints' in run.stdout and osp.isfile(tmp_path / 'simdr.onnx')
