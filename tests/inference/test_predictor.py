"""TopdownPredictor against MMPose's inference_topdown on the same boxes, stage by stage: the
merged model outputs (heatmaps, SimDR logits, PCT poses) with a tolerance, then the decoded
keypoints as far as each decode is conditioned (tests/helpers/numerics.py); bf16 against fp32,
fp8 against bf16; onnxruntime against PyTorch; a ViTPose++ model's merged expert."""
import cv2
import numpy as np
import pytest
import torch

from helpers.numerics import dark_udp_error_bound, top2_margin
from helpers.realdata import coco_image, some_boxes
from vitpose_ext.inference import TopdownPredictor, batch_crops, make_loader
from vitpose_ext.inference.sources import collate

IMAGE_ID = 785  # 22 detected persons


def decode_bound(heatmaps, tol):
    """(K,) ``dark_udp_error_bound`` (heatmap pixels) of each map for values ``tol`` apart,
    with the tolerance scaled by the map's blur rescale (maximum / maximum of its blur, as
    ``gaussian_blur`` rescales), which the helper takes as 1: on maps that are mostly negative
    it is -200 to -1000 here, and the blurred log moves that much more."""
    bounds = []
    for heatmap in heatmaps:
        padded = np.pad(heatmap, 5)  # the zero border of MMPose's blur
        blur = cv2.GaussianBlur(padded, (11, 11), 0)[5:-5, 5:-5]
        rescale = max(abs(heatmap.max() / blur.max()), 1.0)
        bounds.append(dark_udp_error_bound(heatmap[None], tol * rescale)[0])
    return np.array(bounds)


def mmpose_predictions(config, checkpoint, path, boxes):
    """inference_topdown's samples with the merged outputs the head decoded."""
    from mmpose.apis import inference_topdown, init_model
    model = init_model(config, checkpoint, device='cpu')
    model.test_cfg['output_heatmaps'] = True
    return inference_topdown(model, path, boxes[:, :4])


def our_outputs(predictor, image, boxes):
    """Our crops' merged outputs (what the predictor decodes) and our prediction."""
    centers, scales, inverse = predictor.crop_frames(boxes)
    item = dict(image=image, path='', image_id=0, frame=0, boxes=boxes, centers=centers,
                scales=scales, inverse=inverse)
    batch = collate([item])
    crops = batch_crops(batch['images'], batch['items'], predictor.input_size)
    raw = predictor.run_model(torch.cat([crops, crops.flip(-1)]))
    return predictor.merge_flip(raw, len(crops)), predictor.predict(image, boxes)


@pytest.mark.realdata
@pytest.mark.numerics
def test_heatmap_model_matches_inference_topdown(model_files, coco_sample):
    config, checkpoint = model_files('vitpose')
    folder, boxes, _ = coco_sample
    path, boxes = coco_image(folder, IMAGE_ID), boxes[IMAGE_ID]
    predictor = TopdownPredictor(config, checkpoint)
    assert predictor.flip_test  # the config's
    (heatmaps, ), pred = our_outputs(predictor, cv2.imread(path), boxes)
    expected = mmpose_predictions(config, checkpoint, path, boxes)
    reference = np.stack([e.pred_fields.heatmaps.numpy() for e in expected])
    # fp32 through 4 blocks and the decoder, one batch of crops + mirrors against two passes:
    # ~1e-6 seen (maps <= ~1); a crop pixel rounded the other way moves a map by ~1e-4;
    # a wrong flip merge or normalisation by >= 1e-2
    assert np.abs(heatmaps.numpy() - reference).max() < 2e-3
    keypoints = np.stack([e.pred_instances.keypoints[0] for e in expected])
    scores = np.stack([e.pred_instances.keypoint_scores[0] for e in expected])
    w, h = predictor.meta['heatmap_size']
    errors = np.linalg.norm(pred.keypoints - keypoints, axis=-1)
    compared = 0
    for n, scale in enumerate(predictor.crop_frames(boxes)[1]):  # as far as the decode allows
        tol = np.abs(heatmaps.numpy()[n] - reference[n]).max()
        bound = decode_bound(reference[n], tol) * np.linalg.norm(scale / [w - 1, h - 1])
        clear = np.isfinite(bound)
        compared += clear.sum()
        assert (errors[n][clear] <= bound[clear] + 1e-3).all(), (errors[n], bound)
    assert compared > 0.4 * errors.size  # enough keypoints to say something
    np.testing.assert_allclose(pred.keypoint_scores, scores, atol=2e-3)  # maxima of the maps
    np.testing.assert_allclose(pred.areas, [np.prod(e.gt_instances.bbox_scales) for e in expected],
                               rtol=1e-6)


@pytest.mark.realdata
@pytest.mark.numerics
def test_simdr_model_matches_inference_topdown(model_files, coco_sample):
    config, checkpoint = model_files('simdr')
    folder, boxes, _ = coco_sample
    path, boxes = coco_image(folder, IMAGE_ID), some_boxes(boxes, IMAGE_ID)
    predictor = TopdownPredictor(config, checkpoint)
    assert predictor.kind == 'simcc' and predictor.flip_test
    (simcc_x, simcc_y), pred = our_outputs(predictor, cv2.imread(path), boxes)
    expected = mmpose_predictions(config, checkpoint, path, boxes)
    keypoints = np.stack([e.pred_instances.keypoints[0] for e in expected])
    # the argmax bin is MMPose's wherever the top two logits are further apart than our
    # logits can be from MMPose's: crops a grey level apart at a few pixels move these logits
    # by ~1e-4
    clear = (top2_margin(simcc_x.numpy()) > 1e-2) & (top2_margin(simcc_y.numpy()) > 1e-2)
    assert clear.mean() > 0.5
    np.testing.assert_allclose(pred.keypoints[clear], keypoints[clear], atol=1e-3)
    scores = np.stack([e.pred_instances.keypoint_scores[0] for e in expected])
    np.testing.assert_allclose(pred.keypoint_scores, scores, atol=1e-3)  # softmax masses


@pytest.mark.realdata
@pytest.mark.numerics
def test_pct_model_matches_inference_topdown(model_files, coco_sample):
    config, checkpoint = model_files('pct')
    folder, boxes, _ = coco_sample
    path, boxes = coco_image(folder, IMAGE_ID), some_boxes(boxes, IMAGE_ID)
    predictor = TopdownPredictor(config, checkpoint)
    assert predictor.kind == 'keypoints' and predictor.flip_test
    _, pred = our_outputs(predictor, cv2.imread(path), boxes)
    expected = mmpose_predictions(config, checkpoint, path, boxes)
    keypoints = np.stack([e.pred_instances.keypoints[0] for e in expected])
    # PCT decodes without an argmax (a soft codebook lookup): continuous in the crops; image
    # pixels, boxes of ~100-300 px
    np.testing.assert_allclose(pred.keypoints, keypoints, atol=5e-2)  # ~1e-2 seen
    scores = np.stack([e.pred_instances.keypoint_scores[0] for e in expected])
    np.testing.assert_allclose(pred.keypoint_scores, scores, atol=1e-4)


@pytest.mark.realdata
@pytest.mark.numerics
def test_a_vitpose_pp_expert_matches_the_multi_task_model(model_files, coco_sample):
    """dataset_idx=1: the quadruped expert merged into a plain ViTPose predicts what the
    multi-task model predicts for data set 1 (its head, AP-10K's keypoints and flip pairs)."""
    config, checkpoint = model_files('vitpose-pp')
    folder, boxes, _ = coco_sample
    path, boxes = coco_image(folder, IMAGE_ID), some_boxes(boxes, IMAGE_ID, 4)
    predictor = TopdownPredictor(config, checkpoint, dataset_idx=1)
    assert predictor.dataset_meta['dataset_name'] != 'coco'
    (heatmaps, ), _ = our_outputs(predictor, cv2.imread(path), boxes)
    from mmpose.apis import inference_topdown, init_model
    model = init_model(config, checkpoint, device='cpu')
    model.test_cfg.update(dataset_idx=1, output_heatmaps=True)
    expected = inference_topdown(model, path, boxes[:, :4])
    reference = np.stack([e.pred_fields.heatmaps.numpy() for e in expected])
    assert np.abs(heatmaps.numpy() - reference).max() < 2e-3  # as the heatmap test


@pytest.mark.realdata
@pytest.mark.numerics
def test_bf16_follows_fp32(model_files, coco_sample):
    config, checkpoint = model_files('vitpose')
    folder, boxes, _ = coco_sample
    image, boxes = cv2.imread(coco_image(folder, IMAGE_ID)), some_boxes(boxes, IMAGE_ID)
    (fp32, ), _ = our_outputs(TopdownPredictor(config, checkpoint), image, boxes)
    (bf16, ), _ = our_outputs(TopdownPredictor(config, checkpoint, dtype='bf16'), image, boxes)
    # bf16 keeps 8 bits: ~4e-3 relative per operation, through 4 blocks and the decoder
    # ~1e-2 relative seen on the maps; a wrong cast or normalisation gives ~1
    relative = ((bf16 - fp32).norm() / fp32.norm()).item()
    assert 0 < relative < 5e-2


def test_the_loader_batches_the_same_predictions_as_one_image_at_a_time(model_files, tmp_path):
    """Three images of two sizes through the prefetching loader, batches of at most 3
    persons (images split across batches and forward passes), equal the images one by one."""
    config, checkpoint = model_files('vitpose')
    rng = np.random.default_rng(0)
    boxes = {}
    for i, (h, w, n) in enumerate([(90, 120, 2), (140, 100, 3), (90, 120, 1)]):
        cv2.imwrite(str(tmp_path / f'{i + 1}.png'), rng.integers(0, 255, (h, w, 3), np.uint8))
        xy = rng.uniform(0, 40, (n, 2))
        boxes[i + 1] = np.concatenate([xy, xy + rng.uniform(30, 60, (n, 2)),
                                       rng.uniform(0.5, 1, (n, 1))], 1).astype(np.float32)
    predictor = TopdownPredictor(config, checkpoint, batch_size=2)
    loader = make_loader(predictor.source(str(tmp_path), boxes=boxes), batch_size=3,
                         num_workers=1)
    assert [len(b['items']) for b in loader] == [1, 1, 1]  # 2 | 3 | 1 persons
    preds = list(predictor(loader))
    assert [p.image_id for p in preds] == [1, 2, 3]
    for pred in preds:
        single = predictor.predict(cv2.imread(pred.path), boxes[pred.image_id])
        np.testing.assert_array_equal(pred.boxes, boxes[pred.image_id])
        # the same crops in other batch compositions: the maps agree to float32 rounding
        # (~1e-7); keypoints move only where a random model's maps are flat
        close = np.linalg.norm(pred.keypoints - single.keypoints, axis=-1) < 1e-3
        assert close.mean() > 0.8
        np.testing.assert_allclose(pred.keypoint_scores, single.keypoint_scores, atol=1e-5)


def test_arguments_are_checked(model_files):
    config, checkpoint = model_files('vitpose')
    for kwargs, message in [(dict(backend='tensorrt'), 'backend'), (dict(dtype='int8'), 'dtype'),
                            (dict(batch_size=0), 'batch_size'),
                            (dict(backend='onnxruntime'), 'onnx_file')]:
        with pytest.raises(ValueError, match=f'TopdownPredictor: .*{message}'):
            TopdownPredictor(config, checkpoint, **kwargs)


@pytest.mark.cuda
@pytest.mark.numerics
def test_cuda_follows_the_cpu_and_compiles(model_files, coco_sample):
    config, checkpoint = model_files('vitpose')
    folder, boxes, _ = coco_sample
    image, boxes = cv2.imread(coco_image(folder, IMAGE_ID)), some_boxes(boxes, IMAGE_ID)
    (cpu, ), _ = our_outputs(TopdownPredictor(config, checkpoint), image, boxes)
    (gpu, ), _ = our_outputs(TopdownPredictor(config, checkpoint, device='cuda'), image, boxes)
    # fp32 on other kernels (TF32 off by default for convolutions' and matmuls' fp32 in torch):
    # ~1e-6 relative; crops rounded the other way at a few pixels: ~1e-4 on a map
    assert (gpu.cpu() - cpu).abs().max() < 2e-3
    eager = TopdownPredictor(config, checkpoint, device='cuda', dtype='bf16', batch_size=8)
    compiled = TopdownPredictor(config, checkpoint, device='cuda', dtype='bf16', batch_size=8,
                                compile=True)
    (a, ), _ = our_outputs(eager, image, boxes)
    (b, ), _ = our_outputs(compiled, image, boxes)
    # bf16, fused kernels round in other places: ~1e-2 relative
    assert ((a - b).norm() / a.norm()).item() < 5e-2


@pytest.mark.slow  # trains the model first (about 20 s)
@pytest.mark.realdata
def test_fp8_follows_bf16_on_a_trained_model(trained_files, coco_sample):
    config, checkpoint = trained_files
    folder, boxes, _ = coco_sample
    preds = {}
    for dtype in ('fp32', 'bf16', 'fp8'):
        predictor = TopdownPredictor(config, checkpoint, dtype=dtype, batch_size=64)
        loader = make_loader(predictor.source(folder, boxes=boxes), batch_size=64, num_workers=1)
        preds[dtype] = list(predictor(loader))
    fp8_layers = [m for m in predictor.module.modules() if type(m).__name__ == 'Float8Linear']
    assert len(fp8_layers) == 4 * len(predictor.module.model.backbone.blocks)

    def delta(a, b):
        return np.concatenate([np.linalg.norm(p.keypoints - q.keypoints, axis=-1).ravel()
                               for p, q in zip(preds[a], preds[b])])
    fp8, bf16 = delta('fp8', 'bf16'), delta('bf16', 'fp32')
    print(f'keypoints, image px: fp8 vs bf16 mean {fp8.mean():.3f} median {np.median(fp8):.3f}; '
          f'bf16 vs fp32 mean {bf16.mean():.3f} median {np.median(bf16):.3f}')
    assert fp8.size == 118 * 17
    # seen: fp8 vs bf16 mean 0.62 px, median 0.04 px (bf16 vs fp32: 0.24 / 0.013 px); a wrong
    # scale or layout puts keypoints anywhere on the crop (tens of px)
    assert 0 < np.median(fp8) < 0.2 and fp8.mean() < 2.0
