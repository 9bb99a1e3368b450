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

from helpers.common import REPO, first_val_image, mmpose_crops, perturbed_checkpoint
from helpers.numerics import dark_udp_error_bound, top2_margin
from model_families import CONFIGS

pytest.importorskip('onnxruntime')
pytest.importorskip('onnxscript')
from vitpose_ext.deploy.onnx_export import (build_export_module, export_onnx,  # noqa: E402
                                            max_difference)

sys.path.insert(0, osp.join(REPO, 'tools', 'deploy'))
from onnx_topdown import TopdownONNX  # noqa: E402

pytestmark = pytest.mark.slow  # runs through MMEngine's Runner or a subprocess

CASES = {  # name: (config, backbone overrides, export output, dataset_idx)
    'vitpose': (CONFIGS['vitpose'], {}, 'default', None),
    'window': (CONFIGS['vitpose'], dict(attn_type='window', window_size=(4, 3)), 'default', None),
    'shifted-pooling-window': (
        CONFIGS['vitpose'],
        dict(attn_type='shifted_pooling_window', window_size=(4, 3), pool_size=(2, 2)),
        'default', None),
    'simdr': (CONFIGS['simdr'], {}, 'default', None),
    'simdr-keypoints': (CONFIGS['simdr'], {}, 'keypoints', None),
    'pct': (CONFIGS['pct'], {}, 'default', None),
    'vitpose-pp-quadrupeds': (CONFIGS['vitpose-pp'], {}, 'default', 1),
}


def checkpoint_and_config(name, tmp_path):
    config, overrides, _, _ = CASES[name]
    cfg = Config.fromfile(osp.join(REPO, config))
    cfg.model.backbone.update(overrides)
    path = str(tmp_path / f'{name}.py')
    cfg.dump(path)
    return path, perturbed_checkpoint(cfg, tmp_path / f'{name}.pth')


@pytest.mark.numerics
@pytest.mark.parametrize('name', CASES)
def test_onnxruntime_matches_pytorch_with_a_dynamic_batch(name, tmp_path):
    config, checkpoint = checkpoint_and_config(name, tmp_path)
    _, _, output, dataset_idx = CASES[name]
    module, meta = build_export_module(config, checkpoint, output, dataset_idx)
    path = export_onnx(module, meta, str(tmp_path / f'{name}.onnx'))  # exported at batch 2
    diffs = max_difference(module, meta, path, batch=3)
    assert set(diffs) == set(meta['outputs'])
    # fp32 through a 4-block model and its decoder: ~1e-6 seen for outputs of magnitude <= ~1,
    # other kernels (AVX2 / AVX-512, oneDNN or MLAS) sum in other orders at that size; 1e-4 is
    # far below what a wrong op costs (>= 1e-2). Keypoints decoded in the graph are compared
    # where the decode is continuous (PCT) or its argmax has a margin (below).
    for output_name, diff in diffs.items():
        if output_name != 'keypoints':
            assert diff < 1e-4, (output_name, diff)
    if 'keypoints' in diffs and name.startswith('simdr'):
        assert_simdr_keypoints_match(config, checkpoint, path, meta, tmp_path)
    elif 'keypoints' in diffs:
        assert diffs['keypoints'] < 1e-3  # crop pixels: PCT decodes without an argmax


def assert_simdr_keypoints_match(config, checkpoint, path, meta, tmp_path):
    """The graph's argmax decoding equals PyTorch's wherever the logits' top two differ by more
    than twice the logit tolerance (elsewhere either bin is right)."""
    import onnxruntime as ort
    w, h = meta['input_size']
    crops = torch.rand(8, 3, h, w, generator=torch.Generator().manual_seed(1)) * 255
    logits_module, _ = build_export_module(config, checkpoint, 'default')
    keypoints_module, _ = build_export_module(config, checkpoint, 'keypoints')
    with torch.no_grad():
        simcc_x, simcc_y = (t.numpy() for t in logits_module(crops))
        expected = keypoints_module(crops)[0].numpy()
    got = ort.InferenceSession(path).run(None, {'input': crops.numpy()})[0]
    clear = (top2_margin(simcc_x) > 2e-4) & (top2_margin(simcc_y) > 2e-4)
    assert clear.mean() > 0.5, clear.mean()  # enough keypoints to say something
    np.testing.assert_allclose(got[clear], expected[clear], atol=1e-3)


@pytest.mark.numerics
@pytest.mark.parametrize('name', ['vitpose', 'simdr-keypoints', 'pct'])
def test_the_helper_matches_mmpose_inference_topdown(name, synth_root, tmp_path):
    """The standalone helper against MMPose, stage by stage: the crops it cuts, then its model
    outputs, decoding and mapping back on MMPose's own crops."""
    from mmpose.apis import inference_topdown, init_model
    config, checkpoint = checkpoint_and_config(name, tmp_path)
    _, _, output, dataset_idx = CASES[name]
    module, meta = build_export_module(config, checkpoint, output, dataset_idx)
    path = export_onnx(module, meta, str(tmp_path / f'{name}.onnx'))
    image = cv2.imread(first_val_image(synth_root))
    boxes = np.array([[10.0, 12.0, 90.0, 120.0], [40.5, 30.25, 110.0, 100.0]])
    model = init_model(config, checkpoint, device='cpu')
    model.test_cfg.update(flip_test=False, output_heatmaps=True)  # the graph has no flip test
    expected = inference_topdown(model, image, boxes)
    helper = TopdownONNX(path)

    # The same affine in another order of float64 operations: OpenCV's fixed-point bilinear
    # interpolation may round a pixel that lies on a rounding boundary the other way.
    crops, frames = mmpose_crops(model, image, boxes)
    own_crops, own_frames = helper.crops(image, boxes)
    assert np.abs(own_crops - crops).max() <= 1 and (own_crops != crops).mean() < 1e-3
    for (c, s), (own_c, own_s) in zip(frames, own_frames):
        np.testing.assert_allclose(own_c, c, rtol=1e-6)
        np.testing.assert_allclose(own_s, s, rtol=1e-6)

    keypoints, scores = helper.predict_crops(crops, frames)
    mmpose_keypoints = np.stack([e.pred_instances.keypoints[0] for e in expected])
    mmpose_scores = np.stack([e.pred_instances.keypoint_scores[0] for e in expected])
    if meta['kind'] == 'heatmaps':
        heatmaps = helper.session.run(None, {'input': crops})[0]
        mmpose_heatmaps = np.stack([e.pred_fields.heatmaps.numpy() for e in expected])
        # as in the dynamic-batch test, tighter: outputs here are <= ~0.5 and ~4e-7 apart
        tol = 1e-5
        assert np.abs(heatmaps - mmpose_heatmaps).max() < tol
        # each keypoint as far as its decode can move for heatmaps `tol` apart (heatmap pixels
        # -> image pixels), plus float32 rounding of the mapping back
        hw, hh = meta['heatmap_size']
        for n, (_, scale) in enumerate(frames):
            bound = dark_udp_error_bound(mmpose_heatmaps[n], tol, meta['blur_kernel_size'])
            pixels = bound * np.linalg.norm(scale / [hw - 1, hh - 1])
            compared = np.isfinite(bound)
            assert compared.mean() > 0.8, bound
            error = np.linalg.norm(keypoints[n] - mmpose_keypoints[n], axis=-1)
            assert (error[compared] <= pixels[compared] + 1e-3).all(), (error, pixels)
        # the whole helper, its own crops included: one grey level at a few pixels moves these
        # heatmaps by ~2e-4
        own = helper.session.run(None, {'input': own_crops})[0]
        assert np.abs(own - mmpose_heatmaps).max() < 1e-3
    elif name.startswith('simdr'):
        logits, _ = build_export_module(config, checkpoint, 'default')
        with torch.no_grad():
            simcc_x, simcc_y = (t.numpy() for t in logits(torch.from_numpy(crops)))
        # the graph's argmax is PyTorch's where the top two logits are further apart than
        # onnxruntime and PyTorch (1e-4, the dynamic-batch test)
        clear = (top2_margin(simcc_x) > 2e-4) & (top2_margin(simcc_y) > 2e-4)
        assert clear.mean() > 0.5
        np.testing.assert_allclose(keypoints[clear], mmpose_keypoints[clear], atol=1e-3)
    else:  # PCT decodes without an argmax: continuous in the outputs
        np.testing.assert_allclose(keypoints, mmpose_keypoints, atol=1e-3)
    np.testing.assert_allclose(scores, mmpose_scores, atol=1e-4)  # maxima / probabilities


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
