"""Synthetic COCO-keypoints data: stick figures on textured scenes.

The renderer takes a skeleton description (``Skeleton``): its keypoints, links, a pose sampler and
a drawing function. ``HUMAN`` (the default) has the 17 COCO keypoints; ``QUADRUPED``
(``synthetic_quadruped``) has AP-10K's 17 animal keypoints, a different skeleton for multi-data-set
(ViTPose++) experiments.

Every human figure comes from a 2-D kinematic skeleton (torso, head with a face, two-segment arms
and legs) with random joint angles, limb foreshortening, scale, in-plane rotation and clothing
colours; 1-3 figures per image, random occluder patches and truncation at the image border.
Figures face the camera, so a person's left side is on the image's right side of the torso frame,
a cue that survives horizontal flipping (as in real front views).

Visibility flags are set from the rendered pixels: 2 when the keypoint's pixel shows its own
figure, 1 when it lies inside the image but under a later figure or an occluder, 0 (with x = y =
0) when it falls outside the image. ``bbox`` and ``area`` come from the figure's visible pixels.

The output is byte-for-byte reproducible for a given seed (each image draws from its own RNG):

    data_root/
      annotations/person_keypoints_{train,val}.json     (quadruped: quadruped_keypoints_...)
      train/000000.png ...   val/000000.png ...

Command: ``python -m vitpose_ext.datasets.synthetic --out data/synth_coco`` (``--help``;
``--skeleton quadruped --out data/synth_quadruped`` for the animals).
"""
import argparse
import json
import os
import os.path as osp
from typing import Callable, NamedTuple, Optional, Sequence, Tuple

import cv2
import numpy as np

from . import synthetic_quadruped as quadruped
from .synthetic_parts import draw_parts

KEYPOINT_NAMES = [
    'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder',
    'left_elbow', 'right_elbow', 'left_wrist', 'right_wrist', 'left_hip', 'right_hip',
    'left_knee', 'right_knee', 'left_ankle', 'right_ankle'
]
# COCO's skeleton, 1-based as in the annotation files.
SKELETON = [[16, 14], [14, 12], [17, 15], [15, 13], [12, 13], [6, 12], [7, 13], [6, 7], [6, 8],
            [7, 9], [8, 10], [9, 11], [2, 3], [1, 2], [1, 3], [2, 4], [3, 5], [4, 6], [5, 7]]

# Segment lengths as fractions of the figure's standing height.
_UPPER_ARM, _FOREARM, _THIGH, _SHIN = 0.17, 0.15, 0.24, 0.23
_SHOULDER_HALF, _HIP_HALF, _TORSO, _NECK = 0.11, 0.075, 0.30, 0.11


def _rot(angle):
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]])


def _limb(rng, root, base_angle, spread, bend_max, lengths):
    """Two-segment limb from ``root``; angles measured from straight down (image y)."""
    a1 = base_angle + rng.uniform(-spread, spread)
    a2 = a1 + rng.uniform(-bend_max, bend_max)
    fore = rng.uniform(0.65, 1.0, size=2)  # foreshortening: limb seen at an angle
    j1 = root + lengths[0] * fore[0] * np.array([np.sin(a1), np.cos(a1)])
    j2 = j1 + lengths[1] * fore[1] * np.array([np.sin(a2), np.cos(a2)])
    return j1, j2


def sample_pose(rng: np.random.Generator) -> np.ndarray:
    """Return (17, 2) keypoints of one figure in a unit frame (height ~1, y down, centred)."""
    kpts = np.zeros((17, 2))
    pelvis = np.array([0.0, 0.0])
    lean = rng.uniform(-0.35, 0.35)
    up = np.array([np.sin(lean), -np.cos(lean)])
    side = np.array([-up[1], up[0]])  # person's left, image right, in the torso frame
    neck = pelvis + _TORSO * rng.uniform(0.85, 1.0) * up
    width = rng.uniform(0.8, 1.2)
    kpts[5] = neck + _SHOULDER_HALF * width * side
    kpts[6] = neck - _SHOULDER_HALF * width * side
    kpts[11] = pelvis + _HIP_HALF * width * side
    kpts[12] = pelvis - _HIP_HALF * width * side
    # head: nose above the neck, face on the front side
    head_angle = lean + rng.uniform(-0.4, 0.4)
    head_up = np.array([np.sin(head_angle), -np.cos(head_angle)])
    head_side = np.array([-head_up[1], head_up[0]])
    kpts[0] = neck + _NECK * head_up
    yaw = rng.uniform(-0.5, 0.5)  # turning the head shifts the face sideways
    face = kpts[0] + 0.035 * head_up + 0.015 * yaw * head_side
    kpts[1] = face + 0.028 * head_side
    kpts[2] = face - 0.028 * head_side
    kpts[3] = kpts[0] + 0.015 * head_up + (0.06 - 0.02 * yaw) * head_side
    kpts[4] = kpts[0] + 0.015 * head_up - (0.06 + 0.02 * yaw) * head_side
    # Limb angles are measured from image-down; the torso's down is -lean, and a positive offset
    # swings a limb towards the person's left (image right).
    down = -lean
    kpts[7], kpts[9] = _limb(rng, kpts[5], down + 0.6, 1.6, 1.6, (_UPPER_ARM, _FOREARM))
    kpts[8], kpts[10] = _limb(rng, kpts[6], down - 0.6, 1.6, 1.6, (_UPPER_ARM, _FOREARM))
    kpts[13], kpts[15] = _limb(rng, kpts[11], down + 0.15, 0.45, 0.9, (_THIGH, _SHIN))
    kpts[14], kpts[16] = _limb(rng, kpts[12], down - 0.15, 0.45, 0.9, (_THIGH, _SHIN))
    return kpts - kpts.mean(axis=0)


def _texture(rng, h, w):
    """A textured background: gradient, sinusoid stripes, blobs and line clutter."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = rng.uniform(40, 215, size=3)
    grad = rng.uniform(-60, 60, size=(2, 3))
    img = base + xx[..., None] / w * grad[0] + yy[..., None] / h * grad[1]
    freq = rng.uniform(0.02, 0.2)
    theta = rng.uniform(0, np.pi)
    stripes = np.sin((xx * np.cos(theta) + yy * np.sin(theta)) * freq * 2 * np.pi)
    img += stripes[..., None] * rng.uniform(5, 35, size=3)
    img += rng.normal(0, rng.uniform(2, 12), size=(h, w, 3))
    img = np.clip(img, 0, 255).astype(np.uint8)
    for _ in range(rng.integers(3, 10)):  # blobs and limb-like distractor strokes
        color = tuple(int(c) for c in rng.integers(0, 256, size=3))
        if rng.random() < 0.5:
            center = tuple(int(v) for v in rng.integers(0, [w, h]))
            axes = tuple(int(v) for v in rng.integers(4, max(6, min(h, w) // 5), size=2))
            cv2.ellipse(img, center, axes, float(rng.uniform(0, 180)), 0, 360, color, -1,
                        cv2.LINE_AA)
        else:
            p1 = tuple(int(v) for v in rng.integers(0, [w, h]))
            p2 = tuple(int(v) for v in rng.integers(0, [w, h]))
            cv2.line(img, p1, p2, color, int(rng.integers(1, 6)), cv2.LINE_AA)
    return img


def _draw_figure(img, mask, kpts, rng, scale):
    """Draw one figure; ``mask`` (uint8, same H x W) receives the figure's pixels."""
    skin = rng.uniform([60, 90, 120], [190, 210, 250])
    shirt = rng.uniform(0, 255, size=3)
    pants = rng.uniform(0, 255, size=3)
    limb_w = max(2, int(round(scale * rng.uniform(0.035, 0.06))))
    torso_w = max(2, int(round(scale * rng.uniform(0.02, 0.04))))
    pts = np.round(kpts).astype(np.int32)
    parts = []  # (kind, geometry, colour)
    parts.append(('poly', pts[[5, 6, 12, 11]], shirt))
    for a, b, color, w in [(11, 13, pants, limb_w + 1), (13, 15, pants, limb_w),
                           (12, 14, pants, limb_w + 1), (14, 16, pants, limb_w),
                           (5, 7, shirt, limb_w), (7, 9, skin, limb_w - 1),
                           (6, 8, shirt, limb_w), (8, 10, skin, limb_w - 1)]:
        parts.append(('line', (pts[a], pts[b], max(1, w)), color))
    neck_mid = (pts[5] + pts[6]) // 2
    parts.append(('line', (neck_mid, pts[0], max(1, torso_w)), skin))
    head_r = max(2, int(round(np.linalg.norm(kpts[3] - kpts[4]) * 0.62)))
    parts.append(('circle', (pts[0], head_r), skin))
    draw_parts(img, mask, parts)
    # face details: eyes, ears and joints in darker tones (cues for orientation)
    dot = max(1, int(round(scale * 0.012)))
    dark = tuple(float(c) * 0.35 for c in skin)
    for k in (1, 2):
        cv2.circle(img, tuple(map(int, pts[k])), dot, (30., 30., 30.), -1, cv2.LINE_AA)
    for k in (3, 4):
        cv2.circle(img, tuple(map(int, pts[k])), dot + 1, dark, -1, cv2.LINE_AA)
        cv2.circle(mask, tuple(map(int, pts[k])), dot + 1, 255, -1, cv2.LINE_AA)
    cv2.circle(img, tuple(map(int, pts[0])), dot, (40., 40., 160.), -1, cv2.LINE_AA)
    for k in range(5, 17):
        cv2.circle(img, tuple(map(int, pts[k])), max(1, limb_w // 2),
                   tuple(float(c) * 0.6 for c in (shirt if k < 11 else pants)), -1, cv2.LINE_AA)


class Skeleton(NamedTuple):
    """A kind of figure the renderer can draw."""
    category: str  # COCO category name of the figures
    supercategory: str
    keypoint_names: list
    links: list  # 1-based keypoint pairs (the annotation files' ``skeleton``)
    sample_pose: Callable  # rng -> (K, 2) keypoints in a unit frame (extent ~1, y down)
    draw: Callable  # (img, mask, kpts, rng, scale) -> None: draws the figure and its mask
    ann_prefix: str  # annotation files are annotations/{ann_prefix}_{split}.json
    description: str  # the annotation files' info.description


HUMAN = Skeleton('person', 'person', KEYPOINT_NAMES, SKELETON, sample_pose, _draw_figure,
                 'person_keypoints', 'vitpose_ext synthetic COCO keypoints')
QUADRUPED = Skeleton('quadruped', 'animal', quadruped.KEYPOINT_NAMES, quadruped.SKELETON,
                     quadruped.sample_pose, quadruped.draw_figure, 'quadruped_keypoints',
                     'vitpose_ext synthetic quadruped keypoints (AP-10K definition)')
SKELETONS = {'person': HUMAN, 'quadruped': QUADRUPED}


def render_image(seed: int, width: int, height: int, max_people: int = 3,
                 occluder_prob: float = 0.5,
                 skeleton: Skeleton = HUMAN) -> Tuple[np.ndarray, list]:
    """Render one image. Returns (image HxWx3 uint8 BGR, list of per-figure annotation dicts)."""
    rng = np.random.default_rng(seed)
    img = _texture(rng, height, width)
    num = int(rng.integers(1, max_people + 1))
    people = []
    for _ in range(num):
        scale = rng.uniform(0.45, 0.95) * height  # figure size: a person's standing height
        kpts = skeleton.sample_pose(rng)
        angle = rng.normal(0, 0.35) if rng.random() < 0.9 else rng.uniform(-np.pi, np.pi)
        kpts = kpts @ _rot(angle).T * scale
        center = rng.uniform([0.15 * width, 0.15 * height], [0.85 * width, 0.85 * height])
        kpts += center
        mask = np.zeros((height, width), np.uint8)
        skeleton.draw(img, mask, kpts, rng, scale)
        people.append((kpts, mask))
    occ = np.zeros((height, width), np.uint8)
    if rng.random() < occluder_prob:
        for _ in range(rng.integers(1, 3)):
            x0, y0 = rng.integers(0, [width, height])
            ow, oh = rng.integers(max(4, width // 10), max(6, width // 3), size=2)
            color = tuple(float(c) for c in rng.uniform(0, 255, size=3))
            cv2.rectangle(img, (int(x0), int(y0)), (int(x0 + ow), int(y0 + oh)), color, -1)
            cv2.rectangle(occ, (int(x0), int(y0)), (int(x0 + ow), int(y0 + oh)), 255, -1)
    annotations = []
    for i, (kpts, mask) in enumerate(people):
        covering = occ.copy()
        for _, later in people[i + 1:]:
            covering |= later
        own = (mask > 127) & (covering == 0)
        vis = np.zeros(len(kpts), np.int64)
        for k, (x, y) in enumerate(kpts):
            xi, yi = int(np.floor(x)), int(np.floor(y))
            if 0 <= x < width and 0 <= y < height:
                vis[k] = 1 if covering[yi, xi] else 2
        ys, xs = np.nonzero(own)
        if len(xs) < 30 or (vis > 0).sum() < 3:
            continue  # almost fully hidden or outside: no annotation (as in COCO)
        kp = np.concatenate([np.where(vis[:, None] > 0, kpts, 0.0), vis[:, None]], axis=1)
        x0, y0, x1, y1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
        annotations.append(dict(
            keypoints=[round(float(v), 2) if j % 3 < 2 else int(v)
                       for j, v in enumerate(kp.reshape(-1))],
            num_keypoints=int((vis > 0).sum()),
            bbox=[float(x0), float(y0), float(x1 - x0), float(y1 - y0)],
            area=float(len(xs)),
        ))
    return img, annotations


def make_split(out_dir: str, split: str, num_images: int, seed: int, width: int, height: int,
               max_people: int = 3, skeleton: Skeleton = HUMAN) -> str:
    """Write ``num_images`` images of one split and its annotation file; return the file path."""
    img_dir = osp.join(out_dir, split)
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(osp.join(out_dir, 'annotations'), exist_ok=True)
    images, annotations = [], []
    split_offset = {'train': 0, 'val': 1}.get(split, 2) * 1_000_003
    for i in range(num_images):
        img, anns = render_image(seed * 10_000_019 + split_offset + i, width, height, max_people,
                                 skeleton=skeleton)
        name = f'{i:06d}.png'
        cv2.imwrite(osp.join(img_dir, name), img)
        image_id = i + 1
        images.append(dict(id=image_id, file_name=name, width=width, height=height))
        for ann in anns:
            ann.update(id=len(annotations) + 1, image_id=image_id, category_id=1, iscrowd=0)
            annotations.append(ann)
    coco = dict(
        info=dict(description=skeleton.description, seed=seed),
        images=images,
        annotations=annotations,
        categories=[dict(id=1, name=skeleton.category, supercategory=skeleton.supercategory,
                         keypoints=skeleton.keypoint_names, skeleton=skeleton.links)],
    )
    ann_file = osp.join(out_dir, 'annotations', f'{skeleton.ann_prefix}_{split}.json')
    with open(ann_file, 'w') as f:
        json.dump(coco, f, sort_keys=True, separators=(',', ':'))
    return ann_file


def make_synthetic_coco(out_dir: str, num_train: int = 1000, num_val: int = 200, seed: int = 0,
                        width: int = 160, height: int = 160, max_people: int = 3,
                        skeleton: Skeleton = HUMAN) -> str:
    """Write a train and a val split of ``skeleton`` figures under ``out_dir``; return it."""
    if num_train < 1 or num_val < 1:
        raise ValueError(f'num_train and num_val must be >= 1, got {num_train}, {num_val}')
    if min(width, height) < 32:
        raise ValueError(f'images must be at least 32x32, got {width}x{height}')
    make_split(out_dir, 'train', num_train, seed, width, height, max_people, skeleton)
    make_split(out_dir, 'val', num_val, seed, width, height, max_people, skeleton)
    return out_dir


def is_complete(out_dir: str, skeleton: Skeleton = HUMAN) -> bool:
    """True when both annotation files exist (the last thing each split writes)."""
    return all(osp.isfile(osp.join(out_dir, 'annotations', f'{skeleton.ann_prefix}_{s}.json'))
               for s in ('train', 'val'))


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(description='Write a synthetic COCO-keypoints data set.')
    parser.add_argument('--out', default='data/synth_coco', help='output folder')
    parser.add_argument('--num-train', type=int, default=1000)
    parser.add_argument('--num-val', type=int, default=200)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--size', type=int, nargs=2, default=(160, 160), metavar=('W', 'H'))
    parser.add_argument('--max-people', type=int, default=3, help='figures per image: 1..N')
    parser.add_argument('--skeleton', default='person', choices=sorted(SKELETONS),
                        help='person: COCO keypoints; quadruped: AP-10K animal keypoints')
    args = parser.parse_args(argv)
    make_synthetic_coco(args.out, args.num_train, args.num_val, args.seed, *args.size,
                        max_people=args.max_people, skeleton=SKELETONS[args.skeleton])
    print(f'wrote {args.num_train} train and {args.num_val} val images to {args.out}')


if __name__ == '__main__':
    main()
