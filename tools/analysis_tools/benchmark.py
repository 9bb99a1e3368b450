"""Speed and memory of ViTPose against MMPose's stock ViTPose, in one process.

    python tools/analysis_tools/benchmark.py                                   # CPU fp32: backbones + attention
    python tools/analysis_tools/benchmark.py --device cuda --dtype bf16 --tables inference train attention \
        --resolutions 1024x768 --attn-batch 4 --profile

Tables (``--tables``, any of them, in this order):

* backbones: the stock backbone (mmpretrain's VisionTransformer configured as MMPose's ViTPose
  configs do) and ours with the same weights (converted; max |diff| is printed): images/s for
  inference (forward, no grad) and a training step (forward + backward, drop path as in the
  configs).
* inference: the whole model (backbone + classic decoder, ``mode='tensor'``) of MMPose's stock
  ViTPose-B config and of our S / B / L / H configs at 256x192, batch ``--infer-batch``: fp32,
  bf16 weights, and with ``--compile`` bf16 + ``torch.compile`` (also with CUDA graphs) and FP8
  linear layers + ``torch.compile``; GFLOPs per image counted with
  PyTorch's FLOP counter (attention included) and the achieved TFLOP/s.
* train: a full training step (``model.train_step``: data preprocessing, forward, loss, backward,
  clipping, AdamW with layer decay) of MMPose's stock ViTPose-B config and ours at the recipe's
  batch (``--train-batch``, 64 per GPU), fp32 (as shipped) and with ``AmpOptimWrapper`` in fp16
  (what ``--amp`` selects) and bf16.
* attention: ours with full / window / shifted / pooling window / window + full every 3rd block
  (and full attention without SDPA) at each ``--resolutions``, as ratios to full attention.
* cost: GFLOPs (MMEngine's counter, fused attention included) and saved activations of each
  attention type at each ``--resolutions`` (no timing).
* deploy (CPU): whole ViTPose-B, the stock model against ours in PyTorch fp32, bf16 and through
  onnxruntime, on the stock model's weights, with the differences of heatmaps and keypoints.
* e2e: end to end, image files to a COCO results file, same weights, images and boxes (the
  real COCO sample and its detection file): MMPose's ``MMPoseInferencer`` and
  ``inference_topdown`` called per image against ``vitpose_ext.inference.TopdownPredictor`` in
  fp32 / bf16 / onnxruntime fp32 / int8 (calibrated on the PoseTrack sample) on the CPU (fp32 /
  bf16 / fp16 / bf16 compiled with ``--compile`` on CUDA), as persons/s and ratios, with each
  row's AP and its keypoints' distance to inference_topdown's (``--e2e-config`` /
  ``--e2e-checkpoint``: default ViTPose-B 256x192, random weights). docs/inference.md.

Memory: on CUDA the peak allocated memory; on CPU, where PyTorch keeps no allocator statistics,
the bytes of activations saved for backward (the part of training memory the model's design
decides). ``--profile`` adds where one inference batch of ViT-B spends its time (on CUDA by
kernel time: matrix products, attention, LayerNorm, the decoder's deconvolutions, ...).
"""
import argparse
import copy
import logging
import os.path as osp
import sys
import time

import numpy as np
import torch

from model_families import stock_vitpose_b
from benchmark_utils import REALDATA, DTYPES, measure, print_table, saved_activation_bytes, sync, timed

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
OUR_CONFIG = osp.join(REPO, 'configs/vitpose/td-hm_vitpose-{}_8xb64-210e_coco-256x192.py')

def import_mmpretrain_vit():
    """mmpretrain's VisionTransformer (imported lazily: mmpretrain is heavy), or a clear error."""
    import vitpose_ext  # noqa: F401  (first: lets mmpretrain import with transformers >= 5)
    try:
        from mmpretrain.models import VisionTransformer
    except Exception as exc:
        raise SystemExit(
            f'benchmark.py: the stock baseline needs mmpretrain, which failed to import '
            f'({type(exc).__name__}: {exc}). With transformers >= 5 installed, import vitpose_ext '
            'before mmpretrain (this tool does) or `pip install "transformers<5"`; otherwise '
            'rerun tools/setup_env.sh. Or leave the stock rows out: --tables attention.') from exc
    return VisionTransformer


def stock_backbone(arch, img_size):
    from vitpose_ext.models.backbones.vit import ARCHS
    VisionTransformer = import_mmpretrain_vit()
    a = ARCHS[arch]
    return VisionTransformer(
        arch=dict(embed_dims=a['embed_dims'], num_layers=a['num_layers'],
                  num_heads=a['num_heads'],
                  feedforward_channels=int(a['embed_dims'] * a['mlp_ratio'])),
        img_size=img_size, patch_size=16, qkv_bias=True, drop_path_rate=0.3,
        with_cls_token=False, out_type='featmap', patch_cfg=dict(padding=2))


def ours_backbone(arch, img_size, **kw):
    from vitpose_ext.models.backbones import ViTPoseBackbone
    return ViTPoseBackbone(arch=arch, img_size=img_size, drop_path_rate=0.3, **kw)


def backbone_table(args, device, dtype):
    from vitpose_ext.converters import convert_mmpretrain_vit
    rows = []
    for arch in args.archs:
        img = tuple(args.img_size)
        torch.manual_seed(0)
        stock = stock_backbone(arch, img).to(device)
        stock.init_weights()
        ours = ours_backbone(arch, img).to(device)
        ours.load_state_dict(convert_mmpretrain_vit(stock.state_dict(), prefix=''))
        x = torch.randn(2, 3, *img, device=device)
        stock.eval(), ours.eval()
        with torch.no_grad():
            diff = (stock(x)[0] - ours(x)[0]).abs().max().item()
        res = {}
        for name, model in (('stock', stock), ('ours', ours)):
            for train in (False, True):
                res[name, train] = measure(model, args.batch, img, device, dtype, args.iters,
                                           train)
        for train, label in ((False, 'inference'), (True, 'train step')):
            (s_ips, s_mem), (o_ips, o_mem) = res['stock', train], res['ours', train]
            rows.append([f'ViT-{arch.upper()} {img[0]}x{img[1]}', label, f'{s_ips:.1f}',
                         f'{o_ips:.1f}', f'{o_ips / s_ips:.2f}x', f'{s_mem:.0f}', f'{o_mem:.0f}',
                         f'{diff:.1e}'])
        del stock, ours
    mem = 'peak MiB' if device == 'cuda' else 'saved act. MiB'
    print(f'Backbones, {device} {args.dtype}, batch {args.batch}, {args.iters} iterations')
    print_table(['model', 'mode', 'stock img/s', 'ours img/s', 'ours/stock', f'stock {mem}',
                 f'ours {mem}', 'max |diff|'], rows)


ATTENTION = {
    'full': dict(attn_type='full'),
    'full, explicit (no SDPA)': dict(attn_type='full', use_sdpa=False),
    'window': dict(attn_type='window'),
    'shifted window': dict(attn_type='shifted_window'),
    'pooling window': dict(attn_type='pooling_window', pool_size=(4, 3)),
    'window + full every 3rd': dict(attn_type='window', global_blocks=3),
}


def attention_variants(args, device='cpu'):
    """For each of ``--resolutions`` and each of ``--attn-types``: (the first three cells of its
    table row, (h, w), a fresh ours backbone with that attention). Windows tile the token grid
    4x4. The first variant at each resolution (full attention by default) is the reference."""
    for res in args.resolutions:
        h, w = map(int, res.split('x'))
        grid = ((h + 4 - 16) // 16 + 1, (w + 4 - 16) // 16 + 1)
        window = (max(1, grid[0] // 4), max(1, grid[1] // 4))
        for name, kw in ATTENTION.items():
            if name not in args.attn_types:
                continue
            torch.manual_seed(0)
            model = ours_backbone(args.attn_arch, (h, w), window_size=window, **kw).to(device)
            cells = [f'{h}x{w} ({grid[0]}x{grid[1]} tokens)', name,
                     '-' if kw['attn_type'] == 'full' else f'{window[0]}x{window[1]}']
            yield cells, (h, w), model


def attention_table(args, device, dtype):
    rows, base, nan = [], {}, float('nan')
    for cells, img, model in attention_variants(args, device):
        ips_inf = (measure(model, args.attn_batch, img, device, dtype, args.iters, False)[0]
                   if 'infer' in args.modes else nan)
        ips_tr, mem = (measure(model, args.attn_batch, img, device, dtype, args.iters, True)
                       if 'train' in args.modes else (nan, nan))
        ref = base.setdefault(img, (ips_inf, ips_tr, mem))
        rows.append(cells + [f'{ips_inf:.2f}', f'{ips_inf / ref[0]:.2f}x', f'{ips_tr:.2f}',
                             f'{ips_tr / ref[1]:.2f}x', f'{mem:.0f}', f'{mem / ref[2]:.2f}x'])
        del model
    mem = 'peak MiB' if device == 'cuda' else 'saved act. MiB'
    print(f'Attention types, ViT-{args.attn_arch.upper()}, {device} {args.dtype}, '
          f'batch {args.attn_batch}')
    print_table(['input', 'attention', 'window', 'infer img/s', 'vs full', 'train img/s',
                 'vs full', mem, 'vs full'], rows)


def build_pose_model(config, device):
    """A model from an MMPose config, built (and initialised) directly on ``device``, no
    pretrained weights."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    import vitpose_ext  # noqa: F401  (registers this package's modules)
    from mmpose.registry import MODELS
    cfg = Config.fromfile(config)
    cfg.model.backbone.init_cfg = None  # the stock config points at a URL
    init_default_scope('mmpose')
    with torch.device(device):
        model = MODELS.build(cfg.model)
        model.init_weights()
    return model.to(device), cfg


def stock_config():
    """Path of MMPose's own ViTPose-B config (installed with mmpose), or None."""
    path = stock_vitpose_b()
    return path if osp.isfile(path) else None


def flops_per_image(model, img_size, device):
    """FLOPs of one image's forward pass (matrix products, convolutions and attention)."""
    from torch.utils.flop_counter import FlopCounterMode
    x = torch.randn(1, 3, *img_size, device=device)
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model._forward(x)
    return counter.get_total_flops()


def inference_table(args, device, compiled=False):
    """fp32 and bf16 eager for the stock ViTPose-B and our configs; with ``compiled``, bf16 eager,
    bf16 + ``torch.compile`` (also with CUDA graphs) and the backbone's linear layers in FP8
    (``Float8Linear``) + ``torch.compile`` for ``--compile``'s models (a table of its own, run
    last: compiling takes a minute or more)."""
    img = tuple(args.img_size)
    models = [('stock ViTPose-B', stock_config())] if stock_config() else []
    models += [(f'ours ViTPose-{a[0].upper()}', OUR_CONFIG.format(a[0])) for a in args.infer_archs]
    if compiled:
        models = [m for m in models if args.compile == 'all' or m[0] == 'ours ViTPose-B']
    rows = []
    for name, config in models:
        torch.manual_seed(0)
        model, _ = build_pose_model(config, device)
        model.eval()
        gflops = flops_per_image(model, img, device) / 1e9
        x = torch.randn(args.infer_batch, 3, *img, device=device)
        variants = [] if compiled else [('fp32', model._forward, x)]  # backbone + head
        if device == 'cuda':
            half = copy.deepcopy(model).to(torch.bfloat16)
            variants.append(('bf16', half._forward, x.to(torch.bfloat16)))
            if compiled:
                from vitpose_ext.models.layers.fp8_linear import linear_to_fp8
                graphs = copy.deepcopy(half)
                variants += [
                    ('bf16 + compile', torch.compile(half._forward), x.to(torch.bfloat16)),
                    ('bf16 + compile, CUDA graphs',
                     torch.compile(graphs._forward, mode='reduce-overhead'), x.to(torch.bfloat16))]
                if torch.cuda.get_device_capability() >= (8, 9):  # FP8 matrix products
                    fp8 = copy.deepcopy(half)
                    linear_to_fp8(fp8.backbone)
                    variants.append(('fp8 linear layers + compile', torch.compile(fp8._forward),
                                     x.to(torch.bfloat16)))
        base = None
        for label, forward, inp in variants:

            def step():
                with torch.no_grad():
                    return forward(inp)

            seconds, mem = timed(step, args.iters, device, warmup=3 if 'compile' in label else 1)
            ips = args.infer_batch / seconds
            base = base or ips
            rows.append([name, label, f'{ips:,.0f}', f'{ips / base:.2f}x', f'{gflops:.1f}',
                         f'{gflops * ips / 1e3:.0f}', f'{mem:.0f}'])
        del model, variants
        if device == 'cuda':
            torch.cuda.empty_cache()
    print(f'Inference{" with torch.compile" if compiled else ""}, whole model (backbone + '
          f'classic decoder), {img[0]}x{img[1]}, {device}, batch {args.infer_batch}, median of '
          f'{args.iters}')
    print_table(['model', 'precision', 'img/s', f'vs {"bf16" if compiled else "fp32"}',
                 'GFLOPs / img', 'TFLOP/s', 'peak MiB'], rows)


def train_table(args, device):
    from mmengine.optim import build_optim_wrapper

    import mmpose.engine.optim_wrappers  # noqa: F401  (the stock config's layer-decay constructor)
    from fake_data import fake_pose_batch
    img = tuple(args.img_size)
    configs = [('stock ViTPose-B', stock_config())] if stock_config() else []
    configs += [('ours ViTPose-B', OUR_CONFIG.format('b'))]
    precisions = ['fp32', 'fp16', 'bf16'] if device == 'cuda' else ['fp32']
    batch = fake_pose_batch(args.train_batch, input_size=img[::-1],
                            heatmap_size=(img[1] // 4, img[0] // 4))
    rows, base = [], None
    for name, config in configs:
        for precision in precisions:
            torch.manual_seed(0)
            model, cfg = build_pose_model(config, device)
            optim = copy.deepcopy(cfg.optim_wrapper)
            if precision != 'fp32':  # what mmpose's tools/train.py --amp sets, and bf16
                optim.update(type='AmpOptimWrapper', loss_scale='dynamic',
                             dtype='float16' if precision == 'fp16' else 'bfloat16')
            wrapper = build_optim_wrapper(model, optim)
            model.train()
            seconds, mem = timed(lambda: model.train_step(batch, wrapper), args.iters, device)
            ips = args.train_batch / seconds
            base = base or ips
            rows.append([name, precision if precision == 'fp32' else f'AMP {precision}',
                         f'{ips:,.1f}', f'{ips / base:.2f}x', f'{mem:.0f}'])
            del model, wrapper
            if device == 'cuda':
                torch.cuda.empty_cache()
    print(f'Training step (model.train_step with AdamW + layer decay, clip_grad), {img[0]}x{img[1]}, '
          f'{device}, batch {args.train_batch}, median of {args.iters}')
    print_table(['config', 'precision', 'img/s', 'vs stock fp32', 'peak MiB'], rows)


def cost_table(args):
    """What each attention type costs, independent of the machine: multiply-adds as MMEngine's
    FLOP counter (MMPose's get_flops.py) counts them, and the activations a training forward
    pass saves for backward (fp32, batch 1), for ours ViT at each resolution."""
    from mmengine.analysis import FlopAnalyzer
    rows, base = [], {}
    for cells, img, model in attention_variants(args):
        x = torch.randn(1, 3, *img)
        analyzer = FlopAnalyzer(model.eval(), (x, ))
        analyzer.unsupported_ops_warnings(False)
        analyzer.uncalled_modules_warnings(False)
        gflops = analyzer.total() / 1e9
        mib = saved_activation_bytes(model.train(), x) / 2**20
        ref = base.setdefault(img, (gflops, mib))
        rows.append(cells + [f'{gflops:.1f}', f'{gflops / ref[0]:.2f}x', f'{mib:.0f}',
                             f'{mib / ref[1]:.2f}x'])
        del model
    print(f'Attention types, ViT-{args.attn_arch.upper()} backbone: GFLOPs (multiply-adds, as '
          "MMPose's get_flops.py counts) and saved activations (training forward, fp32, batch 1)")
    print_table(['input', 'attention', 'window', 'GFLOPs', 'vs full', 'saved act. MiB',
                 'vs full'], rows)


def deploy_table(args, device):
    """CPU deployment of ViTPose-B: the stock model, ours in fp32 and bf16, ours through
    onnxruntime; ours gets the stock model's weights, so every row's heatmaps are compared with
    the stock model's (crops in, normalisation in the measured module, as the exported ONNX
    graph has it)."""
    import tempfile

    import onnxruntime as ort

    from vitpose_ext.converters import convert_mmpretrain_vit
    from vitpose_ext.deploy.onnx_export import PoseExportModule, export_onnx
    img, batch = tuple(args.img_size), args.deploy_batch
    torch.manual_seed(0)
    stock, _ = build_pose_model(stock_config(), 'cpu')
    ours, _ = build_pose_model(OUR_CONFIG.format('b'), 'cpu')
    ours.backbone.load_state_dict(convert_mmpretrain_vit(stock.backbone.state_dict(), prefix=''))
    ours.head.load_state_dict(stock.head.state_dict())
    stock_mod, ours_mod = PoseExportModule(stock.eval()), PoseExportModule(ours.eval())
    x = torch.rand(batch, 3, *img, generator=torch.Generator().manual_seed(1)) * 255
    path = osp.join(tempfile.mkdtemp(), 'vitpose-b.onnx')
    export_onnx(ours_mod, dict(input_size=[img[1], img[0]]), path)
    options = ort.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()
    session = ort.InferenceSession(path, options, providers=['CPUExecutionProvider'])
    half = copy.deepcopy(ours_mod).to(torch.bfloat16)
    variants = [
        ('stock MMPose, PyTorch fp32', lambda: stock_mod(x)),
        ('ours, PyTorch fp32', lambda: ours_mod(x)),
        ('ours, PyTorch bf16 weights', lambda: half(x.to(torch.bfloat16)).float()),
        ('ours, onnxruntime fp32', lambda: torch.from_numpy(
            session.run(None, {'input': x.numpy()})[0])),
    ]
    rows, reference, base = [], None, None
    for name, run in variants:
        with torch.no_grad():
            seconds, _ = timed(run, args.iters, 'cpu', warmup=1)
            heatmaps = run().float()
        if reference is None:
            reference = heatmaps
        ips = batch / seconds
        base = base or ips
        rows.append([name, f'{ips:.2f}', f'{ips / base:.2f}x',
                     f'{(heatmaps - reference).abs().max().item():.1e}',
                     f'{((heatmaps - reference).norm() / reference.norm()).item():.1e}'])
    print(f'Deployment on the CPU ({torch.get_num_threads()} threads), whole ViTPose-B, '
          f'{img[0]}x{img[1]}, batch {batch}, median of {args.iters}; differences to the stock '
          'model on the same weights')
    print_table(['model', 'img/s', 'vs stock', 'max |heatmap diff|', 'relative heatmap error'],
                rows)


PROFILE_GROUPS = [  # (group, substrings of aten operator names), first match wins
    ('attention', ('attention', 'flash', 'efficient')),
    ('matrix products', ('addmm', 'aten::mm', 'bmm', 'matmul', 'linear')),
    ('deconvolutions', ('convolution_transpose', 'conv_transpose')),
    ('other convolutions', ('conv',)),
    ('LayerNorm', ('layer_norm',)),
    ('BatchNorm', ('batch_norm',)),
    ('GELU / ReLU', ('gelu', 'relu')),
    ('copies, reshapes, adds', ('copy', 'add', 'cat', 'contiguous', 'clone', 'mul', 'fill')),
]


def profile_table(args, device):
    """Where one inference batch of our ViT-B spends its time, by operator group: device kernel
    time on CUDA (bf16), CPU time on the CPU (fp32)."""
    from torch.profiler import ProfilerActivity, profile
    img = tuple(args.img_size)
    model, _ = build_pose_model(OUR_CONFIG.format('b'), device)
    model.eval()
    x = torch.randn(args.infer_batch, 3, *img, device=device)
    if device == 'cuda':
        model, x = model.to(torch.bfloat16), x.to(torch.bfloat16)
    with torch.no_grad():
        for _ in range(2):
            model._forward(x)
        sync(device)
        activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device == 'cuda' else [])
        with profile(activities=activities) as prof:
            model._forward(x)
            sync(device)
    attr = 'self_device_time_total' if device == 'cuda' else 'self_cpu_time_total'
    times = {}
    for event in prof.key_averages():
        if event.device_type != torch.autograd.DeviceType.CPU:
            continue  # kernels: their time is already their launching operator's
        t = getattr(event, attr, 0) or 0
        if t <= 0:
            continue
        key = event.key.lower()
        group = next((g for g, subs in PROFILE_GROUPS if any(s in key for s in subs)), 'other')
        times[group] = times.get(group, 0) + t
    total = sum(times.values())
    rows = [[g, f'{t / 1e3:.2f}', f'{100 * t / total:.1f}%']
            for g, t in sorted(times.items(), key=lambda kv: -kv[1])]
    kind = 'device kernel' if device == 'cuda' else 'CPU'
    print(f'Profile: one inference batch of ours ViTPose-B {img[0]}x{img[1]} (batch '
          f'{args.infer_batch}, {"bf16" if device == "cuda" else "fp32"}), {kind} time by group')
    print_table(['group', 'ms', 'share'], rows)
    print(prof.key_averages().table(sort_by=attr, row_limit=12))


class _FileDetector:
    """Stands in for MMPoseInferencer's detector: the boxes of a detection file."""

    def __init__(self, boxes):
        self.boxes = boxes

    def __call__(self, path, return_datasamples=True):
        from mmdet.structures import DetDataSample
        from mmengine.structures import InstanceData

        from vitpose_ext.inference.sources import image_id_of
        boxes = self.boxes.get(image_id_of(path), np.zeros((0, 5), np.float32))
        sample = DetDataSample()
        sample.pred_instances = InstanceData(bboxes=torch.from_numpy(boxes[:, :4]),
                                             scores=torch.from_numpy(boxes[:, 4]),
                                             labels=torch.zeros(len(boxes), dtype=torch.long))
        return dict(predictions=[sample])


def _prediction(path, image_id, boxes, samples):
    """An ImagePrediction of MMPose's per-person (or merged) PoseDataSamples, its persons in
    the order of ``boxes`` (N, 5) (MMPoseInferencer sorts them by score)."""
    from vitpose_ext.inference import ImagePrediction
    get = lambda key, field='pred_instances': np.concatenate(  # noqa: E731
        [np.asarray(getattr(s, field)[key]) for s in samples])
    found = get('bboxes')
    order = [int(np.flatnonzero((found == box[:4]).all(1))[0]) for box in boxes]
    return ImagePrediction(image_id=image_id, path=path, frame=0, shape=(), boxes=boxes,
                           keypoints=get('keypoints')[order],
                           keypoint_scores=get('keypoint_scores')[order],
                           areas=np.prod(get('bbox_scales', 'gt_instances'), axis=1)[order])


def e2e_methods(args, device, model, config, checkpoint, paths, boxes, tmp):
    """(row name, () -> list of ImagePrediction) of the compared ways, each built once."""
    from mmpose.apis import MMPoseInferencer, inference_topdown

    from vitpose_ext.deploy.onnx_export import build_export_module, export_onnx
    from vitpose_ext.inference import TopdownPredictor, make_loader
    from vitpose_ext.inference.sources import image_id_of
    images = [(p, image_id_of(p)) for p in paths if len(boxes.get(image_id_of(p), ()))]

    def topdown():
        return [_prediction(p, i, boxes[i], inference_topdown(model, p, boxes[i][:, :4]))
                for p, i in images]

    inferencer = MMPoseInferencer(pose2d=config, pose2d_weights=checkpoint, device=device,
                                  det_model='whole_image')
    inferencer.inferencer.detector = _FileDetector(boxes)
    inferencer.inferencer.det_cat_ids = (0, )

    def mmpose_inferencer():  # every box kept: no score threshold, NMS keeps IoU <= 1
        results = inferencer([p for p, _ in images], bbox_thr=-1, nms_thr=1.0,
                             return_datasamples=True)
        return [_prediction(p, i, boxes[i], r['predictions'])
                for (p, i), r in zip(images, results)]

    def ours(predictor):
        def run():
            source = predictor.source(osp.dirname(paths[0]), boxes=boxes)
            loader = make_loader(source, batch_size=args.e2e_batch,
                                 num_workers=args.e2e_workers, pin_memory=device == 'cuda')
            return [p for p in predictor(loader) if len(p.keypoints)]
        return run

    common = dict(device=device, batch_size=args.e2e_batch)
    methods = [('MMPoseInferencer', mmpose_inferencer), ('inference_topdown', topdown),
               ('ours, PyTorch fp32', ours(TopdownPredictor(config, checkpoint, **common)))]
    dtypes = ['bf16', 'fp16'] if device == 'cuda' else ['bf16']
    methods += [(f'ours, PyTorch {d}', ours(TopdownPredictor(config, checkpoint, dtype=d,
                                                              **common))) for d in dtypes]
    if device == 'cuda' and args.compile:
        methods.append(('ours, PyTorch bf16 + compile', ours(TopdownPredictor(
            config, checkpoint, dtype='bf16', compile=True, **common))))
    if device == 'cpu':
        sys.path.insert(0, osp.join(REPO, 'tools', 'deploy'))
        from quantize_onnx import calibration_crops, quantize
        module, meta = build_export_module(config, checkpoint)
        fp32 = export_onnx(module, meta, osp.join(tmp, 'model.onnx'))
        calib = osp.join(REALDATA, 'posetrack18')  # other images than the measured ones
        batches = calibration_crops(
            meta, osp.join(calib, 'images/val/*/000000.jpg'),
            osp.join(calib, 'annotations/test_posetrack18_human_detections.json'),
            osp.join(calib, 'annotations/test_posetrack18_val.json'),
            max_crops=args.e2e_calib_crops)
        int8 = quantize(fp32, osp.join(tmp, 'model_int8.onnx'), batches)
        for name, path in (('fp32', fp32), ('int8', int8)):
            methods.append((f'ours, onnxruntime {name}', ours(TopdownPredictor(
                config, checkpoint, backend='onnxruntime', onnx_file=path, **common))))
    return methods


def e2e_table(args, device):
    """End-to-end persons/s (image files to a results file) of MMPose's inferencer, its
    inference_topdown per image and ours (see the module doc), one run each after a warm-up;
    each row's AP (CocoMetric's COCOeval of its results file) and its keypoints' distance to
    inference_topdown's."""
    import tempfile

    from mmpose.apis import init_model
    from mmpose.evaluation import CocoMetric

    from vitpose_ext.inference import coco_keypoint_results, load_detections, write_results
    from vitpose_ext.inference.sources import list_images
    config = args.e2e_config or OUR_CONFIG.format('b')
    tmp = tempfile.mkdtemp()
    checkpoint = args.e2e_checkpoint
    if checkpoint is None:  # random weights, saved as a checkpoint
        torch.manual_seed(0)
        model, _ = build_pose_model(config, 'cpu')
        checkpoint = osp.join(tmp, 'random.pth')
        torch.save({'state_dict': model.state_dict()}, checkpoint)
    coco = osp.join(REALDATA, 'coco')
    paths = list_images(args.e2e_input or coco)
    boxes = load_detections(args.e2e_bbox_file or osp.join(coco, 'test_coco_det_AP_H_56.json'))
    model = init_model(config, checkpoint, device=device)
    sigmas = model.dataset_meta['sigmas']
    runs = {}
    for name, run in e2e_methods(args, device, model, config, checkpoint, paths, boxes, tmp):
        run()  # warm-up: one-off costs (kernels' first shapes, workers) out of the timing
        start = time.perf_counter()
        preds = run()
        prefix = osp.join(tmp, str(len(runs)))
        write_results(coco_keypoint_results(preds, sigmas), f'{prefix}.keypoints.json')
        seconds = time.perf_counter() - start
        runs[name] = (sum(len(p.keypoints) for p in preds) / seconds, preds, prefix)
    metric = CocoMetric(ann_file=args.e2e_ann_file or osp.join(coco, 'test_coco.json'))
    metric.dataset_meta = dict(sigmas=sigmas)
    base, (ref_rate, ref_preds, _) = runs['MMPoseInferencer'][0], runs['inference_topdown']
    rows = []
    for name, (rate, preds, prefix) in runs.items():
        ap = dict(metric._do_python_keypoint_eval(prefix))['AP']
        dist = np.concatenate([np.linalg.norm(p.keypoints - r.keypoints, axis=-1).ravel()
                               for p, r in zip(preds, ref_preds)])
        rows.append([name, f'{rate:.2f}', f'{rate / base:.2f}x', f'{rate / ref_rate:.2f}x',
                     f'{ap:.4f}', f'{np.median(dist):.4f}', f'{np.percentile(dist, 90):.3f}',
                     f'{100 * (dist <= 0.1).mean():.1f}%'])
    print(f'End to end (image files -> COCO results file), {osp.basename(config)}, '
          f'{"random weights" if args.e2e_checkpoint is None else checkpoint}, {device} '
          f'({torch.get_num_threads()} threads), {len(paths)} images, '
          f'{sum(len(p.keypoints) for p in ref_preds)} persons, batch {args.e2e_batch}')
    print_table(['method', 'persons/s', 'vs MMPoseInferencer', 'vs inference_topdown', 'AP',
                 'px to inference_topdown: median', '90th pct.', 'within 0.1 px'], rows)


TABLES = ('backbones', 'inference', 'train', 'attention', 'cost', 'deploy', 'e2e')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--dtype', default='fp32', choices=sorted(DTYPES),
                        help='autocast precision of the backbones and attention tables')
    parser.add_argument('--tables', nargs='+', default=['backbones', 'attention'],
                        choices=TABLES)
    parser.add_argument('--archs', nargs='+', default=['base'], help='backbones table')
    parser.add_argument('--img-size', type=int, nargs=2, default=(256, 192))
    parser.add_argument('--batch', type=int, default=8, help='backbones table')
    parser.add_argument('--iters', type=int, default=3, help='timed iterations (median)')
    parser.add_argument('--infer-archs', nargs='+', default=['small', 'base', 'large', 'huge'],
                        choices=['small', 'base', 'large', 'huge'])
    parser.add_argument('--infer-batch', type=int, default=256)
    parser.add_argument('--compile', nargs='?', const='base', choices=['base', 'all'],
                        help='inference table: also bf16 + torch.compile, for ViT-B or all')
    parser.add_argument('--train-batch', type=int, default=64)
    parser.add_argument('--deploy-batch', type=int, default=8)
    parser.add_argument('--attn-arch', default='base')
    parser.add_argument('--attn-batch', type=int, default=1)
    parser.add_argument('--attn-types', nargs='+', default=list(ATTENTION), choices=list(ATTENTION),
                        help='attention and cost tables: the variants (default: all; full '
                        'attention comes first and is the reference)')
    parser.add_argument('--resolutions', nargs='+', default=['256x192', '1024x768'])
    parser.add_argument('--modes', nargs='+', default=['infer', 'train'],
                        choices=['infer', 'train'], help='attention table: what to measure')
    parser.add_argument('--e2e-config', help='e2e table: the model (default ViTPose-B)')
    parser.add_argument('--e2e-checkpoint', help='e2e table: its weights (default random)')
    parser.add_argument('--e2e-input', help='e2e table: images (default: the COCO sample)')
    parser.add_argument('--e2e-bbox-file', help='e2e table: their COCO detections')
    parser.add_argument('--e2e-ann-file', help='e2e table: their annotations (for the AP)')
    parser.add_argument('--e2e-batch', type=int, default=32, help='e2e table: persons per '
                        'forward pass of ours')
    parser.add_argument('--e2e-workers', type=int, default=1,
                        help='e2e table: image-reading workers of ours')
    parser.add_argument('--e2e-calib-crops', type=int, default=32,
                        help='e2e table: int8 calibration persons (PoseTrack sample; each '
                        'with its mirror image, ~100 MB each for ViT-B)')
    parser.add_argument('--profile', action='store_true',
                        help='also profile one inference batch of ours ViT-B')
    args = parser.parse_args()
    from mmengine.logging import MMLogger
    device, dtype = args.device, DTYPES[args.dtype]
    MMLogger.get_instance('mmengine').setLevel(logging.WARNING)  # no per-parameter init log
    name = torch.cuda.get_device_name() if device == 'cuda' else f'{torch.get_num_threads()} CPU threads'
    print(f'torch {torch.__version__}, {name}')
    if 'backbones' in args.tables:
        backbone_table(args, device, dtype)
    if 'inference' in args.tables:
        inference_table(args, device)
    if 'train' in args.tables:
        train_table(args, device)
    if 'attention' in args.tables:
        attention_table(args, device, dtype)
    if 'cost' in args.tables:
        cost_table(args)
    if 'deploy' in args.tables:
        deploy_table(args, device)
    if 'e2e' in args.tables:
        e2e_table(args, device)
    if args.profile:
        profile_table(args, device)
    if 'inference' in args.tables and args.compile and device == 'cuda':
        inference_table(args, device, compiled=True)


if __name__ == '__main__':
    main()
