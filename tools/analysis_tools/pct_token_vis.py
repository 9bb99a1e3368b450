"""What a PCT token means: decode a pose, swap one token for other codebook entries, draw the
resulting poses side by side, and measure whether the change is local (the PCT paper's claim).

    python tools/analysis_tools/pct_token_vis.py configs/pct/pct-tokenizer_1xb64-60e_synthcoco-128x96.py \
        work_dirs/pct-tokenizer_1xb64-60e_synthcoco-128x96/epoch_60.pth --out tokens.png

The poses are validation poses (ground-truth boxes, the config's test pipeline). For every pose
and every token position, ``--num-swaps`` codebook entries (drawn from those the validation poses
use) replace the token; each swap moves joint k by d_k pixels of the crop. Printed per swap and
averaged: the share of the total displacement on the ``--top`` most-moved joints (``--top``/K
if every joint moved alike; 1 if only those moved) and the effective number of moved joints
(sum d)^2 / sum d^2 (1 .. K). The PNG shows, for a few token positions, the decoded pose (grey)
and the pose after each swap (red).
"""
import argparse
import os.path as osp

import cv2
import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from mmpose.registry import DATASETS, MODELS

from vitpose_ext.datasets.synthetic import SKELETON
from vitpose_ext.visualization import draw_skeleton, image_grid

from config_utils import set_data_root

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='stage-1 (tokenizer) config')
    parser.add_argument('checkpoint', help='stage-1 checkpoint')
    parser.add_argument('--data-root', default=osp.join(ROOT, 'data/synth_coco'))
    parser.add_argument('--num-poses', type=int, default=100)
    parser.add_argument('--num-swaps', type=int, default=6)
    parser.add_argument('--top', type=int, default=3)
    parser.add_argument('--draw-tokens', type=int, default=5, help='token positions drawn')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', default=osp.join(ROOT, 'work_dirs/pct_tokens.png'))
    return parser.parse_args()


def load_poses(cfg, num):
    """(N, K, 2) normalised joints and (N, K) weights of the first ``num`` validation poses
    whose joints are all labelled (so that every displacement is meaningful to look at)."""
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    joints, weights = [], []
    for i in range(len(dataset)):
        labels = dataset[i]['data_samples'].gt_instance_labels
        if labels.keypoint_weights.min() > 0:
            joints.append(labels.keypoint_labels)
            weights.append(labels.keypoint_weights)
        if len(joints) == num:
            break
    return torch.cat(joints), torch.cat(weights)


def displacement_stats(moved, top):
    """moved: (..., K) joint displacements -> (top-joint share, effective number of joints)."""
    total = moved.sum(-1).clamp(min=1e-9)
    share = moved.topk(top, dim=-1).values.sum(-1) / total
    effective = total ** 2 / moved.pow(2).sum(-1).clamp(min=1e-18)
    return share, effective


def draw(base, swaps, positions, shares, size, scale=3):
    skeleton = [(a - 1, b - 1) for a, b in SKELETON]
    w, h = size
    tiles = []
    for row, m in enumerate(positions):
        for col in range(swaps.shape[1] + 1):
            canvas = np.full((h * scale, w * scale, 3), 255, np.uint8)
            draw_skeleton(canvas, base * scale, np.ones(len(base), bool), skeleton,
                          (160, 160, 160), 2)
            label = f'token {m}: decoded'
            if col:
                draw_skeleton(canvas, swaps[row, col - 1] * scale, np.ones(len(base), bool),
                              skeleton, (0, 0, 230), 2)
                label = f'swap {col}: top share {shares[row, col - 1]:.2f}'
            cv2.putText(canvas, label, (4, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (0, 0, 0), 1,
                        cv2.LINE_AA)
            tiles.append(canvas)
    return image_grid(tiles, cols=swaps.shape[1] + 1, tile_size=(w * scale, h * scale))


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    init_default_scope('mmpose')
    set_data_root(cfg, args.data_root)
    model = MODELS.build(cfg.model)
    load_checkpoint(model, args.checkpoint, map_location='cpu')
    tokenizer = model.tokenizer.eval()
    size = np.asarray(model.codec.input_size, np.float32)  # (w, h)
    joints, weights = load_poses(cfg, args.num_poses)
    g = torch.Generator().manual_seed(args.seed)
    with torch.no_grad():
        ids = tokenizer.tokenize(joints, weights)  # (N, M)
        base = tokenizer.decode_ids(ids) * torch.from_numpy(size)
        used = ids.unique()
        num, num_tokens = ids.shape
        # (N, M, S) replacement entries, never the entry already there
        picks = used[torch.randint(len(used), (num, num_tokens, args.num_swaps), generator=g)]
        clash = picks == ids[..., None]
        picks[clash] = used[(torch.searchsorted(used, picks[clash]) + 1) % len(used)]
        swapped = ids[:, None, None, :].repeat(1, num_tokens, args.num_swaps, 1)
        index = torch.arange(num_tokens)
        swapped[:, index, :, index] = picks.permute(1, 0, 2)
        moved_poses = tokenizer.decode_ids(swapped.view(-1, num_tokens)).view(
            num, num_tokens, args.num_swaps, -1, 2) * torch.from_numpy(size)
    moved = (moved_poses - base[:, None, None]).norm(dim=-1)  # (N, M, S, K) pixels
    share, effective = displacement_stats(moved, args.top)
    k = moved.shape[-1]
    print(f'{num} validation poses, {num_tokens} tokens, {args.num_swaps} swaps each, '
          f'{len(used)} of {tokenizer.codebook.shape[0]} entries used by these poses')
    print(f'| token | mean displacement px | max joint px | top-{args.top} share '
          f'(uniform {args.top / k:.2f}) | effective joints (of {k}) | most moved joints |')
    print('|---|---|---|---|---|---|')
    for m in range(num_tokens):
        top_joints = moved[:, m].mean((0, 1)).topk(args.top).indices.tolist()
        print(f'| {m} | {moved[:, m].mean():.2f} | {moved[:, m].amax(-1).mean():.2f} | '
              f'{share[:, m].mean():.2f} | {effective[:, m].mean():.1f} | {top_joints} |')
    print(f'| all | {moved.mean():.2f} | {moved.amax(-1).mean():.2f} | {share.mean():.2f} | '
          f'{effective.mean():.1f} | |')

    positions = moved[0].mean((1, 2)).topk(args.draw_tokens).indices.tolist()
    png = draw(base[0].numpy(), moved_poses[0, positions].numpy(), positions,
               share[0, positions].numpy(), tuple(int(s) for s in size))
    cv2.imwrite(args.out, png)
    print(f'drawn: {args.out} (pose 0, the {args.draw_tokens} token positions whose swaps move '
          'it most; grey: decoded pose, red: after the swap)')


if __name__ == '__main__':
    main()
