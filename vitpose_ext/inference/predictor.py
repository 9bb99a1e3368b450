"""``TopdownPredictor``: top-down pose estimation of whole batches on the device.

A batch of images (from ``sources.make_loader``) becomes one crop call for all its persons
(``crop.warp_crops``), forward passes of up to ``batch_size`` persons, each with its mirror
images in the same pass when the config's flip test is on, and one vectorised decode
(``decode``); keypoints come back in image pixels as ``ImagePrediction``s.

The model runs as ``deploy.onnx_export.PoseExportModule`` (BGR crops in [0, 255] in, the
normalisation inside, the head's raw outputs out), in PyTorch (fp32 / bf16 / fp16, optionally
``torch.compile``d) or as its ONNX file in onnxruntime (fp32, or int8 from
``tools/deploy/quantize_onnx.py``): both give the same outputs, decoded the same way. A
ViTPose++ model runs with one data set's experts merged (``dataset_idx``).
"""
import contextlib
import json
import time
from collections import defaultdict
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

import numpy as np
import torch
from mmengine.logging import print_log
from torch import Tensor

from ..deploy.onnx_export import build_export_module
from ..models.layers.fp8_linear import linear_to_fp8
from ..utils import DTYPES
from .crop import batch_crops, crop_frames
from .decode import (heatmap_to_input, merge_flip_heatmaps, merge_flip_pct, to_image,
                     udp_dark_decode)
from .results import ImagePrediction
from .sources import ImageFiles, VideoFrames, collate, is_video, list_images

BACKENDS = ('pytorch', 'onnxruntime')
STAGES = ('load', 'detect', 'crop', 'forward', 'decode')


class TopdownPredictor:
    """Keypoints of the persons in boxes, batched across images.

    Args:
        config (str): the MMPose config.
        checkpoint (str): its weights (loaded as ``init_model`` loads them, safely).
        device (str): 'cpu' or 'cuda' (or 'cuda:N').
        dtype (str): 'fp32', 'bf16' or 'fp16' (PyTorch backend; weights and activations), or
            'fp8': bf16 with the backbone's linear layers in FP8 (``Float8Linear``).
        backend (str): 'pytorch' or 'onnxruntime'.
        onnx_file (str, optional): the ONNX file of the model (``tools/deploy/export_onnx.py``
            or its int8 version); needed by the onnxruntime backend.
        batch_size (int): persons per forward pass (twice as many crops with flip test).
        flip_test (bool, optional): default: the config's ``model.test_cfg.flip_test``.
        compile (bool): ``torch.compile`` the model (PyTorch backend; batches padded to
            ``batch_size`` so that it compiles once).
        dataset_idx (int, optional): ViTPose++: the data set whose experts and head to use.
        profile (bool): time every stage (``timings``, seconds; synchronises the device).
    """

    def __init__(self, config: str, checkpoint: str, device: str = 'cpu', dtype: str = 'fp32',
                 backend: str = 'pytorch', onnx_file: Optional[str] = None,
                 batch_size: int = 64, flip_test: Optional[bool] = None, compile: bool = False,
                 dataset_idx: Optional[int] = None, profile: bool = False) -> None:
        name = type(self).__name__
        if backend not in BACKENDS:
            raise ValueError(f'{name}: backend must be one of {BACKENDS}, got {backend!r}')
        if dtype not in (*DTYPES, 'fp8'):
            raise ValueError(f'{name}: dtype must be one of {(*DTYPES, "fp8")}, got {dtype!r}')
        if batch_size < 1:
            raise ValueError(f'{name}: batch_size must be >= 1, got {batch_size}')
        if backend == 'onnxruntime' and (onnx_file is None or dtype != 'fp32' or compile):
            raise ValueError(f'{name}: the onnxruntime backend needs onnx_file, runs the file '
                             "as it is (dtype='fp32'; int8: quantise the file) and does not "
                             'compile')
        if device.startswith('cuda') and not torch.cuda.is_available():
            raise ValueError(f'{name}: device {device!r} but CUDA is not available')
        if dtype == 'fp8' and device.startswith('cuda') and \
                torch.cuda.get_device_capability(device) < (8, 9):
            raise ValueError(f"{name}: dtype='fp8' needs FP8 matrix products (compute "
                             f'capability 8.9 or newer); {device} has '
                             f'{torch.cuda.get_device_capability(device)}')
        module, meta = build_export_module(config, checkpoint, dataset_idx=dataset_idx)
        model = module.model
        if meta['kind'] == 'heatmaps' and meta['decode'] != 'udp_dark':
            raise ValueError(f'{name}: heatmaps are decoded as UDPHeatmap (gaussian) decodes '
                             f'them; {type(model.head.decoder).__name__} is not supported')
        self.meta, self.kind, self.head = meta, meta['kind'], model.head
        self.input_size = tuple(meta['input_size'])
        self.dataset_meta = model.dataset_meta
        self.test_cfg = dict(model.test_cfg or {})
        self.flip_test = bool(self.test_cfg.get('flip_test', False)) \
            if flip_test is None else flip_test
        self.flip_indices = list(self.dataset_meta['flip_indices'])
        self.device, self.backend = torch.device(device), backend
        self.dtype = torch.bfloat16 if dtype == 'fp8' else DTYPES[dtype]
        self.batch_size, self.compiled, self.profile = batch_size, compile, profile
        self.timings: Dict[str, float] = defaultdict(float)
        if backend == 'pytorch':
            self.module = module.to(self.device, self.dtype).eval()
            if dtype == 'fp8':
                linear_to_fp8(self.module.model.backbone)
            self.head = self.module.model.head
            self.forward_fn = torch.compile(self.module) if compile else self.module
        else:
            self.session = self._open_session(onnx_file)
        print_log(f'{name}: {type(model.head).__name__} ({self.kind}), {backend} on {device} '
                  f'{dtype}, flip test {"on" if self.flip_test else "off"}', 'current')

    def _open_session(self, path: str):
        import onnxruntime as ort
        options = ort.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        providers = ['CPUExecutionProvider']
        if self.device.type == 'cuda':
            providers.insert(0, 'CUDAExecutionProvider')
        session = ort.InferenceSession(path, options, providers=providers)
        found = session.get_modelmeta().custom_metadata_map.get('vitpose_ext')
        meta = json.loads(found) if found else {}
        for key in ('kind', 'input_size', 'num_keypoints'):
            if meta.get(key) != self.meta[key]:
                raise ValueError(f'{type(self).__name__}: {path} has {key} {meta.get(key)!r}, '
                                 f'the config {self.meta[key]!r} (export it from this config '
                                 'with tools/deploy/export_onnx.py and the default --output)')
        return session

    # ------------------------------------------------------------------ stages
    @contextlib.contextmanager
    def stage(self, name: str):
        """Adds the time of the block to ``timings[name]`` (when profiling)."""
        if not self.profile:
            yield
            return
        if self.device.type == 'cuda':
            torch.cuda.synchronize(self.device)
        start = time.perf_counter()
        yield
        if self.device.type == 'cuda':
            torch.cuda.synchronize(self.device)
        self.timings[name] += time.perf_counter() - start

    def run_model(self, crops: Tensor) -> Tuple[Tensor, ...]:
        """The model's raw outputs (float32, on the device) for BGR crops (n, 3, h, w)."""
        if self.backend == 'onnxruntime':
            outputs = self.session.run(None, {'input': crops.float().cpu().numpy()})
            return tuple(torch.from_numpy(o).to(self.device) for o in outputs)
        n = len(crops)
        if self.compiled:  # one shape: compile once
            full = self.batch_size * (2 if self.flip_test else 1)
            crops = torch.cat([crops, crops.new_zeros((full - n, ) + crops.shape[1:])])
        with torch.inference_mode():
            outputs = self.forward_fn(crops.to(self.dtype))
        outputs = outputs if isinstance(outputs, tuple) else (outputs, )
        return tuple(o[:n].float() for o in outputs)

    def merge_flip(self, outputs: Sequence[Tensor], n: int) -> Tuple[Tensor, ...]:
        """The flip test's merge, as the config's head does it, of the raw outputs of n crops
        followed by their n mirror images (the outputs as they are without flip test)."""
        if not self.flip_test:
            return tuple(outputs)
        cfg = self.test_cfg
        if self.kind == 'heatmaps':
            heatmaps, = outputs
            return merge_flip_heatmaps(heatmaps[:n], heatmaps[n:], self.flip_indices,
                                       cfg.get('flip_mode', 'heatmap'),
                                       cfg.get('shift_heatmap', False)),
        if self.kind == 'simcc':
            simcc_x, simcc_y = outputs
            back_x, back_y = self.head.flip_back(simcc_x[n:], simcc_y[n:], self.flip_indices)
            return (simcc_x[:n] + back_x) * 0.5, (simcc_y[:n] + back_y) * 0.5
        keypoints, scores = outputs  # PCT
        return merge_flip_pct(keypoints[:n], scores[:n], keypoints[n:], scores[n:],
                              self.flip_indices, self.input_size, cfg.get('shift_coords', True))

    def decode(self, outputs: Sequence[Tensor]) -> Tuple[Tensor, Tensor]:
        """Keypoints (n, K, 2) in crop pixels and scores (n, K) from merged outputs."""
        if self.kind == 'heatmaps':
            keypoints, scores = udp_dark_decode(outputs[0], self.meta['blur_kernel_size'])
            return heatmap_to_input(keypoints, self.meta['heatmap_size'], self.input_size), scores
        if self.kind == 'simcc':
            keypoints, scores = self.head.decoder.decode_tensor(*(o.double() for o in outputs))
            return keypoints.float(), scores.float()
        return tuple(outputs)  # PCT: decoded in the model

    def predict_crops(self, crops: Tensor) -> Tuple[Tensor, Tensor]:
        """Keypoints (N, K, 2) in crop pixels and scores (N, K) of BGR crops (N, 3, h, w), in
        forward passes of ``batch_size`` persons."""
        keypoints, scores = [], []
        for chunk in crops.split(self.batch_size):
            with self.stage('forward'):
                outputs = self.run_model(torch.cat([chunk, chunk.flip(-1)])
                                         if self.flip_test else chunk)
            with self.stage('decode'):
                k, s = self.decode(self.merge_flip(outputs, len(chunk)))
            keypoints.append(k)
            scores.append(s)
        return torch.cat(keypoints), torch.cat(scores)

    # ------------------------------------------------------------------ images
    def crop_frames(self, boxes: np.ndarray):
        """``crop.crop_frames`` with the config's box padding, input size and UDP."""
        return crop_frames(boxes, self.input_size, self.meta['bbox_padding'],
                           self.meta['use_udp'])

    def predict_batch(self, batch: dict, detector: Optional[Callable] = None,
                      keep_images: bool = False) -> List[ImagePrediction]:
        """The predictions of a ``sources.collate``d batch; images whose boxes are ``None``
        get theirs from ``detector`` (a callable: list of BGR images -> list of (N, 5))."""
        images, items = batch['images'], batch['items']
        undetected = [i for i, item in enumerate(items) if item['boxes'] is None]
        if undetected:
            if detector is None:
                raise ValueError(f'{type(self).__name__}: {items[undetected[0]]["path"]} has '
                                 'no boxes and no detector was given')
            with self.stage('detect'):
                found = detector([self._image(images, i, items[i]['shape']) for i in undetected])
            for i, boxes in zip(undetected, found):
                items[i] = dict(items[i], boxes=boxes)
                items[i].update(zip(('centers', 'scales', 'inverse'), self.crop_frames(boxes)))
        counts = [len(item['boxes']) for item in items]
        if sum(counts):
            with self.stage('crop'):
                crops = batch_crops(images, items, self.input_size, self.device)
            keypoints, scores = self.predict_crops(crops)
            with self.stage('decode'):
                centers = torch.from_numpy(np.concatenate([i['centers'] for i in items]))
                scales = torch.from_numpy(np.concatenate([i['scales'] for i in items]))
                keypoints = to_image(keypoints, centers.to(self.device),
                                     scales.to(self.device), self.input_size).cpu().numpy()
                scores = scores.cpu().numpy()
        preds, start = [], 0
        k = self.dataset_meta['num_keypoints']
        for index, (item, count) in enumerate(zip(items, counts)):
            part = slice(start, start + count)
            start += count
            preds.append(ImagePrediction(
                image_id=item['image_id'], path=item['path'], frame=item['frame'],
                shape=item['shape'], boxes=item['boxes'],
                keypoints=keypoints[part] if count else np.zeros((0, k, 2)),
                keypoint_scores=scores[part] if count else np.zeros((0, k), np.float32),
                areas=np.prod(item['scales'], axis=1),
                image=self._image(images, index, item['shape']) if keep_images else None))
        return preds

    @staticmethod
    def _image(images: Tensor, index: int, shape: Tuple[int, int]) -> np.ndarray:
        """Image ``index`` of a batch, without its padding."""
        return images[index, :shape[0], :shape[1]].numpy()

    def __call__(self, batches: Iterable[dict], detector: Optional[Callable] = None,
                 keep_images: bool = False) -> Iterator[ImagePrediction]:
        """Predictions of every image of ``batches`` (a ``sources.make_loader``), in order."""
        batches = iter(batches)
        while True:
            with self.stage('load'):
                batch = next(batches, None)
            if batch is None:
                return
            yield from self.predict_batch(batch, detector, keep_images)

    def predict(self, image: np.ndarray, boxes: Optional[np.ndarray] = None) -> ImagePrediction:
        """One BGR image (H, W, 3) uint8; ``boxes`` (N, 4) or (N, 5) x1 y1 x2 y2 [score]
        (default: the whole image, as ``inference_topdown``)."""
        if boxes is None:
            boxes = np.array([[0, 0, image.shape[1], image.shape[0]]], np.float32)
        boxes = np.asarray(boxes, dtype=np.float32).reshape(len(boxes), -1)
        if boxes.shape[1] == 4:
            boxes = np.concatenate([boxes, np.ones((len(boxes), 1), np.float32)], 1)
        centers, scales, inverse = self.crop_frames(boxes)
        item = dict(image=image, path='', image_id=0, frame=0, boxes=boxes, centers=centers,
                    scales=scales, inverse=inverse)
        return self.predict_batch(collate([item]))[0]

    def source(self, source: str, boxes: Optional[Dict[int, np.ndarray]] = None,
               detect: bool = False, image_ids: Optional[Dict[str, int]] = None):
        """The data set of ``source`` (an image, a folder, a glob or a video) with this model's
        crops: persons in ``boxes`` ({image id or frame: (N, 5)}), found by a detector later
        (``detect``), or else the whole image."""
        args = dict(input_size=self.input_size, padding=self.meta['bbox_padding'],
                    use_udp=self.meta['use_udp'], boxes=boxes,
                    whole_image=boxes is None and not detect)
        if is_video(source):
            return VideoFrames(source, **args)
        return ImageFiles(list_images(source), image_ids=image_ids, **args)
