"""What ViTPose++'s factorised FFN costs: plain ViTPose backbone (= a merged ViTPose++ model, and
as fast as MMPose's stock backbone, see tools/analysis_tools/benchmark.py) against the MoE backbone with either
routing, in one process.

    python tools/analysis_tools/benchmark_moe_ffn.py                      # CPU fp32, ViT-B 256x192, T=6, P=192
    python tools/analysis_tools/benchmark_moe_ffn.py --device cuda --dtype bf16 --batch 128

Every sample of a batch gets a different data set (round robin over the T experts). Throughput is
images/s for inference and for a training step; memory as in tools/analysis_tools/benchmark.py (CUDA: peak
allocated; CPU: bytes of activations saved for backward). 'gather_weights' copies each sample's
expert weights (B x P x hidden per layer) and runs one batched matmul: the FLOPs of one expert;
'all_experts' runs all T experts as one matmul and gathers: T times the expert FLOPs.
"""
import argparse
import logging

import torch
from mmengine.logging import MMLogger

from vitpose_ext.models.backbones import ViTPoseBackbone
from vitpose_ext.models.layers.moe_mlp import ROUTINGS

from benchmark_utils import DTYPES, measure, print_table

PARTS = dict(small=192, base=192, large=256, huge=320)  # P of the reference configs


class Routed(torch.nn.Module):
    """The backbone with a fixed per-sample data-set index (round robin over the experts)."""

    def __init__(self, backbone, num_experts):
        super().__init__()
        self.backbone, self.num_experts = backbone, num_experts

    def forward(self, x):
        idx = torch.arange(x.shape[0], device=x.device) % self.num_experts
        return self.backbone(x, dataset_idx=idx)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--dtype', default='fp32', choices=sorted(DTYPES))
    parser.add_argument('--arch', default='base', choices=sorted(PARTS))
    parser.add_argument('--img-size', type=int, nargs=2, default=(256, 192))
    parser.add_argument('--experts', type=int, default=6)
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--iters', type=int, default=3)
    args = parser.parse_args()
    device, dtype = args.device, DTYPES[args.dtype]
    MMLogger.get_instance('mmengine').setLevel(logging.WARNING)
    print(f'torch {torch.__version__}, {torch.get_num_threads()} threads, ViT-{args.arch} '
          f'{args.img_size[0]}x{args.img_size[1]}, T={args.experts}, P={PARTS[args.arch]}, '
          f'batch {args.batch}, {args.device} {args.dtype}')
    variants = [('plain FFN (merged model)', None)] + [
        (f'MoE, {routing}', dict(type='ViTMoEMlp', num_experts=args.experts,
                                 part_features=PARTS[args.arch], routing=routing))
        for routing in ROUTINGS]
    rows, base = [], None
    for name, ffn_cfg in variants:
        torch.manual_seed(0)
        backbone = ViTPoseBackbone(arch=args.arch, img_size=args.img_size, drop_path_rate=0.3,
                                   ffn_cfg=ffn_cfg)
        model = Routed(backbone, args.experts).to(device)
        params = sum(p.numel() for p in backbone.parameters()) / 1e6
        infer, _ = measure(model, args.batch, args.img_size, device, dtype, args.iters, False)
        train, mem = measure(model, args.batch, args.img_size, device, dtype, args.iters, True)
        base = base or (infer, train)
        rows.append([name, f'{params:.1f}', f'{infer:.2f}', f'{infer / base[0]:.2f}x',
                     f'{train:.2f}', f'{train / base[1]:.2f}x', f'{mem:.0f}'])
    mem_col = 'peak MiB' if device == 'cuda' else 'saved act. MiB'
    print_table(['backbone', 'params M', 'infer img/s', 'vs plain', 'train img/s', 'vs plain',
                 mem_col], rows)


if __name__ == '__main__':
    main()
