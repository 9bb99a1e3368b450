"""Video smoothing: a One-Euro filter on every keypoint of every person, persons followed from
frame to frame by box IoU.

One-Euro (Casiez et al., CHI 2012) is a first-order low-pass whose cut-off rises with the
signal's speed: ``fc = min_cutoff + beta * |dx/dt|`` (dx/dt itself low-passed at
``d_cutoff``), ``alpha = 1 / (1 + 1 / (2 pi fc dt))``, ``x_hat = x_hat + alpha (x - x_hat)``.
Still keypoints get the strong ``min_cutoff`` smoothing (jitter removed), fast ones little (lag
kept small): on a ramp of speed v the steady lag is at most ``v dt (1 - alpha) / alpha`` at
``fc = min_cutoff + beta v``.
"""
import math
from typing import List, Optional

import numpy as np
import torch
from mmpose.structures.bbox import bbox_overlaps

from .results import ImagePrediction


def smoothing_factor(dt: float, cutoff: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + 1.0 / (2 * math.pi * cutoff * dt))


class OneEuroFilter:
    """One-Euro filter of an array signal (any shape; units per second for ``beta``).

    Args:
        min_cutoff (float): cut-off (Hz) at rest: lower, smoother.
        beta (float): how fast the cut-off rises with speed (per unit of the signal): higher,
            less lag.
        d_cutoff (float): cut-off (Hz) of the speed estimate.
    """

    def __init__(self, min_cutoff: float = 1.0, beta: float = 0.05,
                 d_cutoff: float = 1.0) -> None:
        if min_cutoff <= 0 or d_cutoff <= 0 or beta < 0:
            raise ValueError(f'OneEuroFilter: min_cutoff and d_cutoff must be > 0 and beta '
                             f'>= 0, got {min_cutoff}, {d_cutoff}, {beta}')
        self.min_cutoff, self.beta, self.d_cutoff = min_cutoff, beta, d_cutoff
        self.x = self.dx = None

    def __call__(self, x: np.ndarray, dt: float) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if self.x is None:
            self.x, self.dx = x, np.zeros_like(x)
            return x
        a_d = smoothing_factor(dt, np.asarray(self.d_cutoff))
        self.dx = self.dx + a_d * ((x - self.x) / dt - self.dx)
        a = smoothing_factor(dt, self.min_cutoff + self.beta * np.abs(self.dx))
        self.x = self.x + a * (x - self.x)
        return self.x


class PoseSmoother:
    """Smooths the keypoints of a video's ``ImagePrediction``s, frame by frame in order: each
    person is matched to the previous frame's person whose box overlaps it most (IoU above
    ``iou_thr``, greedy by box score, as MMPose's ``_track_by_iou``) and continues that
    person's filter; unmatched persons start a new track.

    Args:
        fps (float): frames per second (the filter's time step is 1 / fps).
        iou_thr (float): least IoU of a match.
        min_cutoff, beta, d_cutoff: the ``OneEuroFilter``'s, in pixels and seconds.
    """

    def __init__(self, fps: float = 30.0, iou_thr: float = 0.3, min_cutoff: float = 1.0,
                 beta: float = 0.05, d_cutoff: float = 1.0) -> None:
        if fps <= 0 or not 0 <= iou_thr <= 1:
            raise ValueError(f'PoseSmoother: fps must be > 0 and iou_thr in [0, 1], got {fps}, '
                             f'{iou_thr}')
        self.dt, self.iou_thr = 1.0 / fps, iou_thr
        self.filter_args = dict(min_cutoff=min_cutoff, beta=beta, d_cutoff=d_cutoff)
        self.tracks: List[dict] = []  # the previous frame's: box, id, filter
        self.next_id = 0

    def match(self, boxes: np.ndarray) -> List[Optional[int]]:
        """For each box (N, 5), the index of its previous-frame track, or None."""
        if not len(boxes) or not self.tracks:
            return [None] * len(boxes)
        previous = np.stack([t['box'] for t in self.tracks])
        iou = bbox_overlaps(torch.from_numpy(boxes[:, :4].astype(np.float64)),
                            torch.from_numpy(previous[:, :4].astype(np.float64))).numpy()
        matches, free = [None] * len(boxes), set(range(len(self.tracks)))
        for i in np.argsort(-boxes[:, 4], kind='stable'):
            candidates = [j for j in free if iou[i, j] > self.iou_thr]
            if candidates:
                j = max(candidates, key=lambda j: iou[i, j])
                matches[i] = j
                free.remove(j)
        return matches

    def __call__(self, pred: ImagePrediction) -> ImagePrediction:
        """``pred`` with its keypoints smoothed and ``track_ids`` set (in place)."""
        tracks = []
        for i, j in enumerate(self.match(pred.boxes)):
            if j is None:
                track = dict(id=self.next_id, filter=OneEuroFilter(**self.filter_args))
                self.next_id += 1
            else:
                track = self.tracks[j]
            pred.keypoints[i] = track['filter'](pred.keypoints[i], self.dt)
            tracks.append(dict(track, box=pred.boxes[i]))
        self.tracks = tracks
        pred.track_ids = np.array([t['id'] for t in tracks], dtype=np.int64)
        return pred
