"""Speed and memory of ViTPoseBackbone against MMPose's stock ViTPose backbone, in one process.

    python tools/benchmark.py                        # CPU fp32, ViT-B 256x192 + attention table
    python tools/benchmark.py --device cuda --dtype bf16 --batch 256

Table 1 (backbones): the stock backbone is mmpretrain's VisionTransformer configured as MMPose's
ViTPose configs do; ours gets the same weights (converted), so outputs are equal (max |diff| is
printed). Throughput is images/s for inference (forward, no grad) and for a training step
(forward + backward, drop path as in the configs). Memory: on CUDA the peak allocated memory; on
CPU, where PyTorch keeps no allocator statistics, the bytes of activations saved for backward
(the part of training memory the model's design decides).

Table 2 (attention types): ours with full / window / shifted window / pooling window / window +
full every 3rd block at each resolution, as ratios to full attention.
"""
import argparse
import logging
import time

import torch
from mmengine.logging import MMLogger

from vitpose_ext.converters import convert_mmpretrain_vit
from vitpose_ext.models.backbones import ViTPoseBackbone
from vitpose_ext.models.backbones.vit import ARCHS

DTYPES = {'fp32': torch.float32, 'bf16': torch.bfloat16, 'fp16': torch.float16}


def stock_backbone(arch, img_size):
    from mmpretrain.models import VisionTransformer  # lazily: mmpretrain is heavy to import
    a = ARCHS[arch]
    return VisionTransformer(
        arch=dict(embed_dims=a['embed_dims'], num_layers=a['num_layers'],
                  num_heads=a['num_heads'],
                  feedforward_channels=int(a['embed_dims'] * a['mlp_ratio'])),
        img_size=img_size, patch_size=16, qkv_bias=True, drop_path_rate=0.3,
        with_cls_token=False, out_type='featmap', patch_cfg=dict(padding=2))


def ours_backbone(arch, img_size, **kw):
    return ViTPoseBackbone(arch=arch, img_size=img_size, drop_path_rate=0.3, **kw)


def saved_activation_bytes(model, x):
    """Bytes of the tensors autograd saves for backward in one forward pass."""
    total = 0

    def pack(t):
        nonlocal total
        total += t.numel() * t.element_size()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(x)
    return total


def measure(model, batch, img_size, device, dtype, iters, train):
    x = torch.randn(batch, 3, *img_size, device=device)
    model.train(train)
    autocast = torch.autocast(device_type=device, dtype=dtype, enabled=dtype != torch.float32)

    def step():
        with autocast:
            if train:
                out = model(x)[-1]
                out.float().square().mean().backward()
            else:
                with torch.no_grad():
                    model(x)

    def sync():
        if device == 'cuda':
            torch.cuda.synchronize()

    step()  # warm-up
    sync()
    if device == 'cuda':
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    for _ in range(iters):
        step()
    sync()
    ips = batch * iters / (time.perf_counter() - start)
    if device == 'cuda':
        mem = torch.cuda.max_memory_allocated() / 2**20
    elif train:
        with autocast:
            mem = saved_activation_bytes(model, x) / 2**20
    else:
        mem = float('nan')
    return ips, mem


def row(cells, widths):
    return '| ' + ' | '.join(str(c).ljust(w) for c, w in zip(cells, widths)) + ' |'


def print_table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    print(row(header, widths))
    print('|' + '|'.join('-' * (w + 2) for w in widths) + '|')
    for r in rows:
        print(row(r, widths))
    print()


def backbone_table(args, device, dtype):
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
    'window': dict(attn_type='window'),
    'shifted window': dict(attn_type='shifted_window'),
    'pooling window': dict(attn_type='pooling_window', pool_size=(4, 3)),
    'window + full every 3rd': dict(attn_type='window', global_blocks=3),
}


def attention_table(args, device, dtype):
    rows = []
    for res in args.resolutions:
        h, w = map(int, res.split('x'))
        grid = ((h + 4 - 16) // 16 + 1, (w + 4 - 16) // 16 + 1)
        window = (max(1, grid[0] // 4), max(1, grid[1] // 4))  # 4x4 windows per map
        base = None
        for name, kw in ATTENTION.items():
            torch.manual_seed(0)
            model = ours_backbone(args.attn_arch, (h, w), window_size=window, **kw).to(device)
            nan = float('nan')
            ips_inf = (measure(model, args.attn_batch, (h, w), device, dtype, args.iters, False)[0]
                       if 'infer' in args.modes else nan)
            ips_tr, mem = (measure(model, args.attn_batch, (h, w), device, dtype, args.iters, True)
                           if 'train' in args.modes else (nan, nan))
            base = base or (ips_inf, ips_tr, mem)
            rows.append([f'{h}x{w} ({grid[0]}x{grid[1]} tokens)', name,
                         f'{window[0]}x{window[1]}' if name != 'full' else '-',
                         f'{ips_inf:.2f}', f'{ips_inf / base[0]:.2f}x', f'{ips_tr:.2f}',
                         f'{ips_tr / base[1]:.2f}x', f'{mem:.0f}', f'{mem / base[2]:.2f}x'])
            del model
    mem = 'peak MiB' if device == 'cuda' else 'saved act. MiB'
    print(f'Attention types, ViT-{args.attn_arch.upper()}, {device} {args.dtype}, '
          f'batch {args.attn_batch}')
    print_table(['input', 'attention', 'window', 'infer img/s', 'vs full', 'train img/s',
                 'vs full', mem, 'vs full'], rows)


def profile_table(args, device, dtype):
    """Where a training step of our backbone spends its time, by operator."""
    from torch.profiler import ProfilerActivity, profile
    arch, img = args.archs[0], tuple(args.img_size)
    model = ours_backbone(arch, img).to(device)
    measure(model, args.batch, img, device, dtype, 1, True)  # warm-up
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device == 'cuda' else [])
    with profile(activities=activities) as prof:
        measure(model, args.batch, img, device, dtype, 1, True)
    events = prof.key_averages()
    total = sum(e.self_cpu_time_total for e in events)
    gemm = sum(e.self_cpu_time_total for e in events
               if e.key in ('aten::addmm', 'aten::mm', 'aten::bmm', 'aten::mkldnn_convolution',
                            'aten::_scaled_dot_product_flash_attention_for_cpu',
                            'aten::_scaled_dot_product_flash_attention_for_cpu_backward'))
    print(f'Profile of one ViT-{arch.upper()} {img[0]}x{img[1]} training step (batch {args.batch}): '
          f'matrix products and attention kernels take {100 * gemm / total:.0f}% of CPU time')
    print(events.table(sort_by='self_cpu_time_total', row_limit=12))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--dtype', default='fp32', choices=sorted(DTYPES))
    parser.add_argument('--archs', nargs='+', default=['base'])
    parser.add_argument('--img-size', type=int, nargs=2, default=(256, 192))
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--iters', type=int, default=3)
    parser.add_argument('--attn-arch', default='base')
    parser.add_argument('--attn-batch', type=int, default=1)
    parser.add_argument('--resolutions', nargs='+', default=['256x192', '1024x768'])
    parser.add_argument('--modes', nargs='+', default=['infer', 'train'],
                        choices=['infer', 'train'], help='attention table: what to measure')
    parser.add_argument('--skip', choices=['backbones', 'attention'])
    parser.add_argument('--profile', action='store_true',
                        help='also profile one training step of ours (first --archs)')
    args = parser.parse_args()
    device, dtype = args.device, DTYPES[args.dtype]
    MMLogger.get_instance('mmengine').setLevel(logging.WARNING)  # no per-parameter init log
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads')
    if args.skip != 'backbones':
        backbone_table(args, device, dtype)
    if args.skip != 'attention':
        attention_table(args, device, dtype)
    if args.profile:
        profile_table(args, device, dtype)


if __name__ == '__main__':
    main()
