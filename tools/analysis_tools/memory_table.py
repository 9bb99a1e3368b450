"""Training memory per GPU of ViTPose S / B / L / H / G under DDP and sharded training.

    python tools/analysis_tools/memory_table.py [--batch 64] [--gpus 8] [--models s b l h g g576]
    python tools/analysis_tools/memory_table.py --device cuda    # adds measured single-GPU rows

Per model (the configs' backbone and heatmap head) and mode, the bytes one GPU holds:

* **state**, exact from the parameter count P: fp32 weights (4P), gradients (4P; DDP adds its
  gradient buckets, another 4P, as MMEngine's wrapper does not use ``gradient_as_bucket_view``),
  AdamW's two moments (8P). FSDP (full shard over ``--gpus``) divides the three by N and adds
  the gathered units: two blocks (the running one and the prefetched one) in bf16 plus their fp32
  gradients before the reduce-scatter. CPU offload keeps the shards in host memory.
* **activations**, measured on this machine: the bytes autograd saves in training forwards at
  batches 1 and 2 (tensors counted once per storage, parameters left out): their difference is
  the part that grows with the batch, the rest (bf16 autocast's weight copies) is paid once.
  With activation checkpointing each block keeps only its input (fp32, the residual stream),
  and one block's saved tensors exist again while it is recomputed. The FSDP rows use the
  autocast profile; FSDP's pure bf16 compute keeps a little less.

Modelled rows are these sums; they leave out the CUDA context and allocator fragmentation, so
"fits" below means within 90% of the card. With ``--device cuda`` the DDP-like modes are also
measured (``torch.cuda.max_memory_allocated`` over one forward, backward and AdamW step on one
GPU) and printed beside the model. docs/large_models.md holds a run of it.
"""
import argparse
import os.path as osp
import sys

import torch
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, REPO)

from vitpose_ext.models.backbones.vit import ARCHS  # noqa: E402
from benchmark_utils import print_table  # noqa: E402

GiB = 2 ** 30
CARDS = (24, 40, 80)
CONFIG = osp.join(REPO, 'configs/vitpose/td-hm_vitpose-{}_8xb64-210e_coco-256x192.py')
G576 = osp.join(REPO, 'configs/vitpose/td-hm_vitpose-g-fsdp_8xb32-210e_coco-576x432.py')
MODES = ('DDP fp32', 'DDP bf16', 'DDP bf16 + ckpt', 'FSDP bf16 + ckpt', 'FSDP + CPU offload')


def model_config(name):
    """(model config, (H, W)) of 's'...'h' (their configs), 'g' (ViT-g on the 256x192 recipe)
    and 'g576' (the ViTPose-G config, 576x432); pretrained weights left out."""
    if name == 'g576':
        cfg = Config.fromfile(G576).model
    else:
        cfg = Config.fromfile(CONFIG.format('h' if name == 'g' else name)).model
        if name == 'g':
            cfg.backbone.arch, cfg.head.in_channels = 'giant', 1408
    cfg.backbone.init_cfg = None
    return cfg, tuple(cfg.backbone.img_size)


class SavedBytes:
    """Counts the bytes autograd saves, once per storage and without parameters, in total and
    per ViT block (forward hooks around each block)."""

    def __init__(self, model):
        self.params = {p.untyped_storage().data_ptr() for p in model.parameters()}
        self.seen, self.total, self.blocks = set(), 0, []
        blocks = model.backbone.blocks
        self.handles = [b.register_forward_pre_hook(self._start) for b in blocks] + \
            [b.register_forward_hook(self._end) for b in blocks]

    def _start(self, module, args):
        self.block_start = self.total

    def _end(self, module, args, out):
        self.blocks.append(self.total - self.block_start)

    def pack(self, t):
        storage = t.untyped_storage()
        ptr = storage.data_ptr()
        if ptr not in self.params and ptr not in self.seen:
            self.seen.add(ptr)
            self.total += storage.nbytes()
        return t

    def run(self, model, x, dtype):
        with torch.autograd.graph.saved_tensors_hooks(self.pack, lambda t: t), \
                torch.autocast('cpu', dtype=torch.bfloat16, enabled=dtype == 'bf16'):
            out = model(x, None, mode='tensor')
        for h in self.handles:
            h.remove()
        return out


def activation_profile(cfg, hw, dtype):
    """(saved bytes per sample, per forward whatever the batch (autocast's weight copies), per
    sample of one block's saved tensors, of a block's input) of training forwards on the CPU at
    batches 1 and 2 (their difference is the per-sample part). The blocks are all alike, so the
    model is measured with two of them and the rest added block by block: a 1B-parameter model
    at 576x432 would not fit in this machine's memory twice over."""
    from mmpose.registry import MODELS
    layers = ARCHS[cfg.backbone.arch]['num_layers']
    small = cfg.deepcopy()
    small.backbone.arch = dict(ARCHS[cfg.backbone.arch], num_layers=2)
    model = MODELS.build(small).train()
    totals, blocks = [], []
    for batch in (1, 2):
        torch.manual_seed(0)
        counter = SavedBytes(model)
        counter.run(model, torch.randn(batch, 3, *hw), dtype)
        block = max(counter.blocks)
        totals.append(counter.total + (layers - 2) * block)
        blocks.append(block)
    backbone = model.backbone
    # the residual stream stays fp32 under autocast (fp32 + bf16 adds to fp32)
    block_input = backbone.grid_size[0] * backbone.grid_size[1] * backbone.embed_dims * 4
    return totals[1] - totals[0], 2 * totals[0] - totals[1], blocks[1] - blocks[0], block_input


def state_bytes(params, unit_params, mode, gpus):
    """{part: bytes on one GPU} of weights, gradients and AdamW state (module docstring)."""
    if mode.startswith('DDP'):
        return dict(weights=4 * params, grads=8 * params, optimizer=8 * params)
    share = 0 if 'offload' in mode else 1 / gpus
    gathered = 2 * unit_params * (2 + 4)
    return dict(weights=4 * params * share + gathered, grads=4 * params * share,
                optimizer=8 * params * share)


def activations(profile, mode, layers):
    """(bytes per sample, bytes per forward) of the activations of ``mode``."""
    per_sample, per_forward, block, block_input = profile[
        'bf16' if 'bf16' in mode or 'FSDP' in mode else 'fp32']
    if 'ckpt' in mode or 'FSDP' in mode:  # the configs' sharded modes checkpoint every block
        per_sample = per_sample - layers * block + layers * block_input + block
    return per_sample, per_forward


def max_batch(fixed, per_sample, card):
    return max(int((0.9 * card * GiB - fixed) // per_sample), 0)


def measure_cuda(cfg, hw, mode, batch):
    """Peak allocated GiB of one training step (forward, backward, AdamW) on one GPU."""
    from mmpose.registry import MODELS
    cfg = cfg.deepcopy()
    cfg.backbone.with_cp = 'ckpt' in mode
    model = MODELS.build(cfg).cuda().train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    x = torch.randn(batch, 3, *hw, device='cuda')
    torch.cuda.reset_peak_memory_stats()
    with torch.autocast('cuda', dtype=torch.bfloat16, enabled='bf16' in mode):
        out = model(x, None, mode='tensor')
    out.float().square().mean().backward()
    optimizer.step()
    peak = torch.cuda.max_memory_allocated() / GiB
    del model, optimizer, out
    torch.cuda.empty_cache()
    return peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--models', nargs='+', default=['s', 'b', 'l', 'h', 'g', 'g576'])
    parser.add_argument('--batch', type=int, default=64, help='per GPU (g576: half of it)')
    parser.add_argument('--gpus', type=int, default=8, help='ranks FSDP shards over')
    parser.add_argument('--device', default='cpu', help="'cuda': also measure the DDP modes")
    args = parser.parse_args()

    from mmpose.registry import MODELS
    from mmpose.utils import register_all_modules
    register_all_modules()
    torch.set_grad_enabled(True)
    rows = []
    for name in args.models:
        cfg, hw = model_config(name)
        model = MODELS.build(cfg)
        params = sum(p.numel() for p in model.parameters())
        unit = sum(p.numel() for p in model.backbone.blocks[0].parameters())
        layers = len(model.backbone.blocks)
        del model
        profile = {d: activation_profile(cfg, hw, d) for d in ('fp32', 'bf16')}
        batch = args.batch // 2 if name == 'g576' else args.batch
        for mode in MODES:
            state = state_bytes(params, unit, mode, args.gpus)
            per_sample, per_forward = activations(profile, mode, layers)
            fixed = sum(state.values()) + per_forward
            total = fixed + per_sample * batch
            measured = (f'{measure_cuda(cfg, hw, mode, batch):.1f}'
                        if args.device == 'cuda' and mode.startswith('DDP') else '-')
            rows.append([f'ViTPose-{name[0].upper()}', f'{hw[0]}x{hw[1]}', f'{params / 1e6:.0f}M',
                         mode, *(f'{state[k] / GiB:.2f}' for k in ('weights', 'grads',
                                                                   'optimizer')),
                         f'{(per_sample * batch + per_forward) / GiB:.1f}',
                         f'{total / GiB:.1f}', measured,
                         *(str(max_batch(fixed, per_sample, c)) for c in CARDS)])
    print(f'Per GPU, GiB; batch {args.batch} per GPU ({args.batch // 2} for G at 576x432); '
          f'FSDP over {args.gpus} GPUs; grads include DDP\'s buckets; activations measured '
          'on the CPU (batches 1 and 2, scaled), the rest exact')
    print_table(['model', 'input', 'params', 'mode', 'weights', 'grads', 'AdamW', 'activations',
                 'total (modelled)', 'measured (CUDA)', *(f'max batch {c} GB' for c in CARDS)],
                rows)


if __name__ == '__main__':
    main()
