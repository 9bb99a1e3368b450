"""Synthetic four-legged animals with AP-10K's 17 keypoints (the ``QUADRUPED`` skeleton of
``synthetic``): a second skeleton, so that multi-data-set models (ViTPose++) can be tried on
synthetic data.

The animal is seen from the side: body from neck to tail root, a raised or lowered head with
eyes and nose, two-segment legs in a random gait, a tail. Seen facing right, its right side is
the near one; near legs are drawn over the body in a light shade, far legs behind it in a dark
shade, the near eye larger. Half of the animals face left (a horizontal mirror with left and right
swapped), so the cue for left / right is the facing direction plus near / far, which survives
horizontal flipping as in real side views.
"""
import cv2
import numpy as np

from .synthetic_parts import draw_parts

KEYPOINT_NAMES = [
    'L_Eye', 'R_Eye', 'Nose', 'Neck', 'Root of tail', 'L_Shoulder', 'L_Elbow', 'L_F_Paw',
    'R_Shoulder', 'R_Elbow', 'R_F_Paw', 'L_Hip', 'L_Knee', 'L_B_Paw', 'R_Hip', 'R_Knee', 'R_B_Paw'
]
# AP-10K's links, 1-based as in the annotation files.
SKELETON = [[1, 2], [1, 3], [2, 3], [3, 4], [4, 5], [4, 6], [6, 7], [7, 8], [4, 9], [9, 10],
            [10, 11], [5, 12], [12, 13], [13, 14], [5, 15], [15, 16], [16, 17]]
# left <-> right
FLIP = [1, 0, 2, 3, 4, 8, 9, 10, 5, 6, 7, 14, 15, 16, 11, 12, 13]
# near (right, when facing right) and far (left) keypoints: eye, shoulder, elbow, front paw, hip,
# knee, back paw
_NEAR = [1, 8, 9, 10, 14, 15, 16]
_FAR = [0, 5, 6, 7, 11, 12, 13]
_DEPTH = np.array([0.03, -0.025])  # far side: a little forward and up (seen slightly from above)


def _leg(rng, root, swing, bend, lengths):
    """Two segments from ``root``; angles from straight down (image y), positive = forward."""
    a1 = rng.uniform(*swing)
    a2 = a1 + rng.uniform(*bend)
    j1 = root + lengths[0] * np.array([np.sin(a1), np.cos(a1)])
    j2 = j1 + lengths[1] * np.array([np.sin(a2), np.cos(a2)])
    return j1, j2


def sample_pose(rng: np.random.Generator) -> np.ndarray:
    """(17, 2) keypoints of one animal in a unit frame (length ~1, y down, centred)."""
    k = np.zeros((17, 2))
    body = rng.uniform(0.5, 0.7)
    leg = rng.uniform(0.3, 0.42)
    k[3] = [body / 2, -0.08]  # neck (withers)
    k[4] = [-body / 2, -0.06]  # root of tail
    near_shoulder = np.array([body / 2 - 0.07, 0.05])
    near_hip = np.array([-body / 2 + 0.07, 0.05])
    for (shoulder, elbow, paw), root, swing, bend in (
            ((8, 9, 10), near_shoulder, (-0.5, 0.6), (-0.9, 0.1)),
            ((5, 6, 7), near_shoulder + _DEPTH, (-0.5, 0.6), (-0.9, 0.1)),
            ((14, 15, 16), near_hip, (-0.2, 0.8), (-1.3, -0.3)),
            ((11, 12, 13), near_hip + _DEPTH, (-0.2, 0.8), (-1.3, -0.3))):
        k[shoulder] = root
        k[elbow], k[paw] = _leg(rng, root, swing, bend, (leg * 0.5, leg * 0.5))
    head = rng.uniform(-0.4, 1.0)  # head raised above (positive) or below the horizontal
    direction = np.array([np.cos(head), -np.sin(head)])
    up = np.array([direction[1], -direction[0]])  # the head's top side
    k[2] = k[3] + rng.uniform(0.22, 0.3) * direction  # nose
    k[1] = k[3] + 0.62 * (k[2] - k[3]) + 0.035 * up  # near (right) eye
    k[0] = k[1] + 0.6 * _DEPTH  # far (left) eye
    if rng.random() < 0.5:  # facing left: mirror, and the near side becomes the left one
        k[:, 0] *= -1
        k = k[FLIP]
    return k - k.mean(axis=0)


def _spine_up(kpts):
    """Unit vector from the legs' roots to the spine (the animal's up)."""
    up = (kpts[3] + kpts[4]) / 2 - kpts[[5, 8, 11, 14]].mean(axis=0)
    return up / (np.linalg.norm(up) + 1e-6)


def _near_is_right(kpts):
    """Facing right (near side = right) iff the spine lies on the image's up side of the
    tail -> neck direction; rotations and positive scales keep this sign."""
    forward, up = kpts[3] - kpts[4], _spine_up(kpts)
    return forward[0] * up[1] - forward[1] * up[0] < 0


def draw_figure(img: np.ndarray, mask: np.ndarray, kpts: np.ndarray, rng: np.random.Generator,
                scale: float) -> None:
    """Draw one animal; ``mask`` (uint8, same H x W) receives its pixels."""
    coat = rng.uniform(30, 230, size=3)
    dark, light = coat * 0.55, np.minimum(coat * 1.25 + 20, 255)
    leg_w = max(2, int(round(scale * rng.uniform(0.03, 0.045))))
    near, far = (_NEAR, _FAR) if _near_is_right(kpts) else (_FAR, _NEAR)
    pts = np.round(kpts).astype(np.int32)
    forward, down = kpts[3] - kpts[4], -_spine_up(kpts)
    belly = 0.06 * scale * down
    torso = np.concatenate([pts[[3, 4]], np.round(kpts[[5, 8, 11, 14]] + belly)]).astype(np.int32)
    head_c = kpts[3] + 0.6 * (kpts[2] - kpts[3])
    tail_end = kpts[4] - 0.25 * forward + 0.1 * scale * rng.uniform(-1, 1) * down

    def legs(ids, color):
        shoulder, elbow, paw, hip, knee, bpaw = ids[1:]
        return [('line', (pts[a], pts[b], leg_w), color)
                for a, b in ((shoulder, elbow), (elbow, paw), (hip, knee), (knee, bpaw))]

    parts = legs(far, dark)
    parts.append(('poly', cv2.convexHull(torso), coat))
    parts.append(('line', (pts[4], np.round(tail_end).astype(np.int32),
                           max(1, leg_w // 2)), coat))
    parts.append(('line', (pts[3], np.round(head_c).astype(np.int32),
                           max(2, int(round(0.07 * scale)))), coat))
    parts.append(('circle', (np.round(head_c).astype(np.int32),
                             max(2, int(round(0.05 * scale)))), coat))
    parts.append(('line', (np.round(head_c).astype(np.int32), pts[2],
                           max(2, int(round(0.045 * scale)))), coat))
    parts += legs(near, light)
    draw_parts(img, mask, parts)
    dot = max(1, int(round(scale * 0.012)))
    cv2.circle(img, tuple(map(int, pts[near[0]])), dot + 1, (20., 20., 20.), -1, cv2.LINE_AA)
    cv2.circle(img, tuple(map(int, pts[far[0]])), dot, (70., 70., 70.), -1, cv2.LINE_AA)
    cv2.circle(img, tuple(map(int, pts[2])), dot + 1, (30., 30., 90.), -1, cv2.LINE_AA)
    for k in near[3:4] + near[6:7] + far[3:4] + far[6:7]:  # paws
        cv2.circle(img, tuple(map(int, pts[k])), max(1, leg_w // 2 + 1),
                   tuple(float(c) * 0.4 for c in coat), -1, cv2.LINE_AA)
