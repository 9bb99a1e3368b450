"""Draw skeletons for a person to look at: ground truth and predictions on the same image."""
import cv2
import numpy as np


def draw_skeleton(img, keypoints, visible, skeleton, color, thickness=1):
    """Draw keypoints (K, 2) whose ``visible`` (K,) flag is true and the links between them.

    ``skeleton`` holds 0-based index pairs. Draws in place on a BGR uint8 image; returns it.
    """
    pts = [tuple(int(round(v)) for v in p) for p in np.asarray(keypoints)[:, :2]]
    for a, b in skeleton:
        if visible[a] and visible[b]:
            cv2.line(img, pts[a], pts[b], color, thickness, cv2.LINE_AA)
    for p, v in zip(pts, visible):
        if v:
            cv2.circle(img, p, thickness + 1, color, -1, cv2.LINE_AA)
    return img


def image_grid(images, cols, tile_size):
    """Tile BGR images (resized to ``tile_size`` = (w, h)) into rows of ``cols``."""
    tiles = [cv2.resize(im, tile_size, interpolation=cv2.INTER_LINEAR) for im in images]
    blank = np.zeros_like(tiles[0])
    tiles += [blank] * (-len(tiles) % cols)
    rows = [np.hstack(tiles[i:i + cols]) for i in range(0, len(tiles), cols)]
    return np.vstack(rows)
