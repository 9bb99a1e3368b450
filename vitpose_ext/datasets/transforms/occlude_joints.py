"""Synthetic occluders pasted over joints of the input crop (occlusion-robustness evaluation)."""
from typing import Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from ...registry import TRANSFORMS


@TRANSFORMS.register_module()
class OccludeJoints(BaseTransform):
    """Cover some visible joints of the input crop with noisy rectangles. Put it after
    ``TopdownAffine`` (it draws on the warped crop, at ``transformed_keypoints``).

    For each instance, ``num_joints`` of its visible joints (all if fewer) are drawn at random;
    each gets a rectangle of random side ``size`` (fractions of the crop's shorter side, one per
    axis), centred within a quarter side of the joint, filled with a random colour plus Gaussian
    noise. The generator is seeded with (``seed``, the annotation ``id``): every model sees the
    same occluders. Annotations are left as they are, so occluded joints still count in the
    evaluation (as in OCHuman).

    Args:
        num_joints (int): joints to cover per instance.
        size (tuple[float, float]): range of the rectangle sides, fractions of the crop's
            shorter side.
        seed (int): seed of the occluders.
    """

    def __init__(self, num_joints: int = 2, size: Tuple[float, float] = (0.15, 0.3),
                 seed: int = 0) -> None:
        super().__init__()
        name = type(self).__name__
        if num_joints < 1:
            raise ValueError(f'{name}: num_joints must be >= 1, got {num_joints}')
        if not 0 < size[0] <= size[1]:
            raise ValueError(f'{name}: size must be an increasing positive range, got {size}')
        self.num_joints, self.size, self.seed = num_joints, tuple(size), seed

    def transform(self, results: dict) -> dict:
        img = results['img']
        h, w = img.shape[:2]
        rng = np.random.default_rng([self.seed, int(results.get('id', 0))])
        points = np.reshape(results['transformed_keypoints'], (-1, 2))
        visible = np.flatnonzero(np.reshape(results['keypoints_visible'], -1) > 0)
        chosen = rng.permutation(visible)[:self.num_joints]
        img = img.copy()
        for x, y in points[chosen]:
            side = rng.uniform(*self.size, size=2) * min(h, w)
            cx, cy = np.array([x, y]) + rng.uniform(-0.25, 0.25, size=2) * side
            x0, x1 = np.clip(np.round([cx - side[0] / 2, cx + side[0] / 2]), 0, w).astype(int)
            y0, y1 = np.clip(np.round([cy - side[1] / 2, cy + side[1] / 2]), 0, h).astype(int)
            patch = rng.uniform(0, 255, size=3) + rng.normal(0, 20, size=(y1 - y0, x1 - x0, 3))
            img[y0:y1, x0:x1] = np.clip(patch, 0, 255).astype(img.dtype)
        results['img'] = img
        return results
