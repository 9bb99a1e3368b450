"""Parameters and latency of pose heads on ViTPose features: SimDR against the heatmap decoders.

    python tools/analysis_tools/benchmark_heads.py                      # ViT-B 256x192, CPU fp32, batch 8
    python tools/analysis_tools/benchmark_heads.py --device cuda --batch 64

Every model is built from its config in this repository (random weights; speed does not depend
on them): ViTPose-B with the classic decoder (2 deconvolutions + 1x1 conv, UDP heatmaps), with
the simple decoder (ReLU, bilinear x4, 3x3 conv), with SimDRHead (1x1 conv, flatten, 2 linear
layers), with MMPose's stock SimCCHead built the same way (no deconvolution; same maths as
SimDRHead), and with SimDRTokenHead on 17 keypoint tokens (the backbone then carries 17 extra
tokens). Columns:

- decoder params: head (+ neck: the simple decoder's upsampling lives in a neck).
- decoder fwd: the decoder's forward on precomputed backbone features (no grad).
- decoder predict: forward + decoding to keypoints and scores (what a head costs at test time;
  heatmap decoding includes UDP's refinement on the CPU).
- decoder train: forward + backward of the decoder (its loss on random labels).
- model predict: backbone + decoder + decoding, no flip test (``TopdownPoseEstimator.predict``).
Times are ms per image; ratios are to the classic decoder.
"""
import argparse
import logging
import os.path as osp
import time

import numpy as np
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.structures import InstanceData, PixelData
from mmpose.registry import KEYPOINT_CODECS, MODELS
from mmpose.structures import PoseDataSample
from mmpose.utils import register_all_modules

from benchmark_utils import print_table

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VITPOSE = 'configs/vitpose/td-hm_vitpose-b_8xb64-210e_coco-256x192.py'
MODELS_UNDER_TEST = {
    'heatmap, classic decoder': (VITPOSE, None),
    'heatmap, simple decoder': ('configs/vitpose/td-hm_vitpose-b-simple_8xb64-210e_coco-256x192.py',
                                None),
    'SimDRHead (ours)': ('configs/simdr/sa-simdr_vitpose-b_8xb64-210e_coco-256x192.py', None),
    'SimCCHead, no deconv (MMPose)': (
        'configs/simdr/sa-simdr_vitpose-b_8xb64-210e_coco-256x192.py',
        dict(_delete_=True, type='SimCCHead', in_channels=768, out_channels=17,
             input_size=(192, 256), in_featuremap_size=(12, 16), simcc_split_ratio=2.0,
             deconv_out_channels=None, loss=dict(type='KLDiscretLoss', use_target_weight=True),
             decoder=dict(type='SimCCLabel', input_size=(192, 256), sigma=6.0,
                          simcc_split_ratio=2.0))),
    'SimDRTokenHead (ours, 17 tokens)': (
        'configs/simdr/simdr-token_vitpose-b_8xb64-210e_coco-256x192.py', None),
}


def build(config, head, device):
    cfg = Config.fromfile(osp.join(REPO, config))
    if head is not None:
        cfg.merge_from_dict(dict(model=dict(head=head)))
    cfg.model.test_cfg = dict(flip_test=False)  # one pass: the head's own cost
    model = MODELS.build(cfg.model).to(device).eval()
    model.init_weights()
    return model, cfg


def data_samples(cfg, batch):
    """Samples with what predict and loss read: metainfo of the crop and random labels."""
    w, h = cfg.codec['input_size']
    codec = KEYPOINT_CODECS.build(cfg.codec)
    rng = np.random.default_rng(0)
    out = []
    for _ in range(batch):
        kps = rng.uniform([0, 0], [w - 1, h - 1], (1, 17, 2))
        labels = codec.encode(kps, np.ones((1, 17)))
        sample = PoseDataSample(metainfo=dict(
            input_size=(w, h), input_center=np.array([w / 2, h / 2]),
            input_scale=np.array([w, h], np.float32), flip_indices=list(range(17))))
        sample.gt_instances = InstanceData(bboxes=np.array([[0, 0, w, h]], np.float32),
                                           bbox_scores=np.ones(1, np.float32))
        fields = {k: torch.from_numpy(np.asarray(v)) for k, v in labels.items()}
        if 'heatmaps' in fields:  # heatmap codecs: (K, H, W) maps and (1, K) weights
            sample.gt_fields = PixelData(heatmaps=fields.pop('heatmaps'))
        sample.gt_instance_labels = InstanceData(**fields)
        out.append(sample)
    return out


def timed(fn, iters, device):
    """ms per call: one warm-up call, then the mean of ``iters`` calls."""
    def sync():
        if device == 'cuda':
            torch.cuda.synchronize()
    fn()
    sync()
    start = time.perf_counter()
    for _ in range(iters):
        fn()
    sync()
    return 1000 * (time.perf_counter() - start) / iters


def measure(model, cfg, args):
    device, batch = args.device, args.batch
    w, h = cfg.codec['input_size']
    x = torch.randn(batch, 3, h, w, device=device)
    samples = data_samples(cfg, batch)
    for s in samples:
        s.gt_instance_labels = s.gt_instance_labels.to(device)
        if 'gt_fields' in s:
            s.gt_fields = s.gt_fields.to(device)
    with torch.no_grad():
        feats = model.backbone(x)
    neck = model.neck if model.with_neck else torch.nn.Identity()
    head = model.head
    params = sum(p.numel() for m in (neck, head) for p in m.parameters())

    def fwd():
        with torch.no_grad():
            head(neck(feats))

    def predict():
        with torch.no_grad():
            head.predict(neck(feats), samples, test_cfg=dict(flip_test=False))

    feats_grad = tuple(f.detach().requires_grad_() for f in feats)

    def train():
        head.train()
        losses = head.loss(neck(feats_grad), samples)
        losses['loss_kpt'].backward()
        head.eval()

    def model_predict():
        with torch.no_grad():
            model.predict(x, [s.clone() for s in samples])

    per_img = lambda fn, iters: timed(fn, iters, device) / batch  # noqa: E731
    return dict(params=params, fwd=per_img(fwd, args.head_iters),
                predict=per_img(predict, args.head_iters), train=per_img(train, args.head_iters),
                model=per_img(model_predict, args.iters))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--iters', type=int, default=3, help='iterations of the whole model')
    parser.add_argument('--head-iters', type=int, default=20, help='iterations of a decoder')
    args = parser.parse_args()
    register_all_modules()
    MMLogger.get_instance('mmengine').setLevel(logging.WARNING)  # no per-parameter init log
    torch.manual_seed(0)
    results = {}
    for name, (config, head) in MODELS_UNDER_TEST.items():
        model, cfg = build(config, head, args.device)
        results[name] = measure(model, cfg, args)
        del model
    base = results['heatmap, classic decoder']
    rows = []
    for name, r in results.items():
        rows.append([name, f"{r['params'] / 1e6:.3f}M", f"{r['params'] / base['params']:.3f}x",
                     f"{r['fwd']:.2f}", f"{r['fwd'] / base['fwd']:.2f}x",
                     f"{r['predict']:.2f}", f"{r['predict'] / base['predict']:.2f}x",
                     f"{r['train']:.2f}", f"{r['train'] / base['train']:.2f}x",
                     f"{r['model']:.1f}", f"{r['model'] / base['model']:.2f}x"])
    print(f'torch {torch.__version__}, {args.device}, {torch.get_num_threads()} threads, '
          f'fp32, ViT-B 256x192, batch {args.batch}; ms per image')
    print_table(['decoder', 'decoder params', 'vs classic', 'decoder fwd', 'vs classic',
                 'decoder predict', 'vs classic', 'decoder train', 'vs classic',
                 'model predict', 'vs classic'], rows)


if __name__ == '__main__':
    main()
