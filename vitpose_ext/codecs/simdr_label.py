"""SimDR / SimCC: keypoints as two 1-D classification targets, one per axis."""
from typing import Optional, Sequence, Tuple, Union

import numpy as np
import torch
from mmpose.codecs.base import BaseKeypointCodec

from ..registry import KEYPOINT_CODECS

LABEL_TYPES = ('one_hot', 'gaussian')
BIN_CENTRES = ('pixel', 'mmpose')
SCORE_TYPES = ('mass', 'max')


@KEYPOINT_CODECS.register_module()
class SimDRLabel(BaseKeypointCodec):
    r"""Disentangled 1-D coordinate labels (SimDR, SimDR* / SimCC).

    The x coordinate of a keypoint in an input of width ``w`` becomes a vector of
    ``Lx = round(w * k)`` bins (``k = simcc_split_ratio``), the y coordinate one of
    ``Ly = round(h * k)`` bins; a network classifies each axis separately.

    Coordinates are MMPose's input-image coordinates: pixel ``j`` is centred at ``j``, so the
    input covers ``[-0.5, w - 0.5)``. Crop with ``TopdownAffine`` without ``use_udp`` (as
    MMPose's SimCC configs do): ``TopdownPoseEstimator`` maps predictions back to the image with
    the non-UDP inverse, which is exact for such crops; after a UDP crop it is off by up to
    one input pixel (a 1 / w scale error; ``UDPHeatmap`` compensates, this codec does not).
    Where bin ``i`` lies (``bin_centres``):

    - ``'pixel'`` (default): at ``(i + 0.5) / k - 0.5``. The ``Lx`` bins, each ``1 / k`` wide,
      tile the input exactly; every point of the input has a bin whose centre is at most
      ``1 / (2k)`` away, and a horizontal flip (``x -> w - 1 - x``) maps bin ``i`` onto bin
      ``Lx - 1 - i``, so flip test needs no shift.
    - ``'mmpose'``: at ``i / k``, as MMPose's ``SimCCLabel`` and the official SimCC code. The
      bins cover ``[-1/(2k), w - 1/(2k))``, missing the first ``1/2 - 1/(2k)`` px of the input,
      and a flipped vector is ``k - 1`` bins off (``flip_shift``). Use it to decode models
      trained with ``SimCCLabel``.

    A keypoint is encoded at its nearest bin. Label types:

    - ``'one_hot'`` (SimDR): 1 at that bin; with ``label_smoothing = e > 0``, ``1 - e`` there
      and ``e / (L - 1)`` everywhere else (each vector sums to 1). Train with cross entropy.
    - ``'gaussian'`` (SimDR*): ``exp(-(i - c)^2 / (2 sigma^2)) / (sigma sqrt(2 pi))`` around
      that bin ``c``, ``sigma`` in bins, one value or (x, y). Train with KL divergence.

    Keypoint weights are 1 for labelled points (``keypoints_visible >= 0.5``) whose nearest
    bin exists on both axes, 0 otherwise (those get all-zero label vectors).

    Decoding takes the network's logits: the keypoint is the argmax bin's centre; with
    ``refine=True`` a parabola through the logits at the argmax and its two neighbours moves
    it by up to half a bin (exact when the logits are a sampled log-Gaussian, i.e. a
    SimDR*-trained network that matches its target).

    Scores (``score_type``):

    - ``'mass'`` (default): the probability, under the predicted distributions
      ``softmax(logits)`` of both axes (taken as independent), that the keypoint lies within
      ``score_radius`` px of the decoded location on both axes: ``P_x * P_y``, each the
      softmax mass in the bins within the radius of the argmax. It is in [0, 1] and means the
      same in every image: 1 when the network puts all its belief next to its answer, about
      0.25 when it splits it between two places (e.g. left / right), near 0 when it is flat.
      ``score_radius=None`` takes 3 sigma of the label for ``'gaussian'`` (where a network
      that reproduces its target has 99.7% of its mass) and 1 px for ``'one_hot'``.
    - ``'max'``: MMPose's ``SimCCLabel`` score, ``min(max(logits_x), max(logits_y))``. Raw
      logits are shift-invariant under softmax, so their size carries no calibrated meaning
      and differs between images and models (MMPose users see "low, uncalibrated" scores).

    Args:
        input_size (tuple[int, int]): input image size (w, h).
        simcc_split_ratio (float): bins per pixel ``k >= 1``.
        label_type (str): 'one_hot' or 'gaussian'.
        sigma (float | tuple[float, float]): Gaussian sigma in bins (x, y); 'gaussian' only.
        label_smoothing (float): in [0, 1); 'one_hot' only.
        bin_centres (str): 'pixel' or 'mmpose', see above.
        refine (bool): sub-bin refinement when decoding.
        score_type (str): 'mass' or 'max'.
        score_radius (float | None): radius in input pixels of the 'mass' score.

    Encoded (``encode``), N instances, K keypoints:
        - keypoint_x_labels (np.ndarray): (N, K, Lx) float32
        - keypoint_y_labels (np.ndarray): (N, K, Ly) float32
        - keypoint_weights (np.ndarray): (N, K) float32
    """

    label_mapping_table = dict(
        keypoint_x_labels='keypoint_x_labels',
        keypoint_y_labels='keypoint_y_labels',
        keypoint_weights='keypoint_weights',
    )

    def __init__(self, input_size: Sequence[int], simcc_split_ratio: float = 2.0,
                 label_type: str = 'gaussian', sigma: Union[float, Sequence[float]] = 6.0,
                 label_smoothing: float = 0.0, bin_centres: str = 'pixel', refine: bool = False,
                 score_type: str = 'mass', score_radius: Optional[float] = None) -> None:
        super().__init__()
        name = type(self).__name__
        if len(input_size) != 2 or min(input_size) <= 0:
            raise ValueError(f'{name}: input_size must be (w, h) > 0, got {input_size}')
        if not simcc_split_ratio >= 1:
            raise ValueError(f'{name}: simcc_split_ratio must be >= 1, got {simcc_split_ratio}')
        if label_type not in LABEL_TYPES:
            raise ValueError(f'{name}: label_type {label_type!r} not in {LABEL_TYPES}')
        if bin_centres not in BIN_CENTRES:
            raise ValueError(f'{name}: bin_centres {bin_centres!r} not in {BIN_CENTRES}')
        if score_type not in SCORE_TYPES:
            raise ValueError(f'{name}: score_type {score_type!r} not in {SCORE_TYPES}')
        if not 0 <= label_smoothing < 1:
            raise ValueError(f'{name}: label_smoothing must be in [0, 1), got {label_smoothing}')
        if label_smoothing and label_type != 'one_hot':
            raise ValueError(f"{name}: label_smoothing is for label_type='one_hot' only")
        sigma = np.asarray(sigma, dtype=np.float64)
        if sigma.shape not in ((), (2, )) or not (sigma > 0).all():
            raise ValueError(f'{name}: sigma must be one value or (x, y), > 0; got {sigma}')
        sigma = np.broadcast_to(sigma, (2, )).copy()
        if score_radius is not None and not score_radius >= 0:
            raise ValueError(f'{name}: score_radius must be >= 0, got {score_radius}')

        self.input_size = tuple(input_size)
        self.simcc_split_ratio = float(simcc_split_ratio)
        self.label_type = label_type
        self.sigma = sigma
        self.label_smoothing = float(label_smoothing)
        self.bin_centres = bin_centres
        self.refine = refine
        self.score_type = score_type
        k = self.simcc_split_ratio
        self.label_size = tuple(int(round(s * k)) for s in self.input_size)  # (Lx, Ly)
        # bin i is centred at (i + offset) / k - 0.5
        self._offset = 0.5 if bin_centres == 'pixel' else k / 2
        if score_radius is None:
            radius = 3 * sigma if label_type == 'gaussian' else np.full(2, k)
        else:
            radius = np.full(2, score_radius * k)
        self.score_radius_bins = np.floor(radius + 1e-6).astype(np.int64)  # (x, y)

    @property
    def flip_shift(self) -> float:
        """Bins ``s`` such that, for the x vector of a horizontally flipped input reversed
        along its bins (``v[::-1]``), bin ``j`` of the original input is ``v[::-1][j + s]``
        (0 for 'pixel' bins when ``w * k`` is whole; ``k - 1`` for 'mmpose')."""
        k = self.simcc_split_ratio
        return self.label_size[0] - 1 - self.input_size[0] * k + 2 * self._offset

    def bin_centres_px(self, axis: int) -> np.ndarray:
        """Centres of the bins of ``axis`` (0: x, 1: y) in input pixels."""
        return ((np.arange(self.label_size[axis]) + self._offset) / self.simcc_split_ratio
                - 0.5)

    # ------------------------------------------------------------------ encode
    def encode(self, keypoints: np.ndarray,
               keypoints_visible: Optional[np.ndarray] = None) -> dict:
        """(N, K, 2) keypoints in input pixels (+ (N, K) visibility) -> the labels above."""
        N, K = keypoints.shape[:2]
        if keypoints_visible is None:
            keypoints_visible = np.ones((N, K), dtype=np.float32)
        k = self.simcc_split_ratio
        bins = np.floor((keypoints[..., :2] + 0.5) * k - self._offset + 0.5).astype(np.int64)
        size = np.array(self.label_size)
        inside = ((bins >= 0) & (bins < size)).all(-1)
        weights = ((keypoints_visible >= 0.5) & inside).astype(np.float32)
        labels = [self._labels(bins[..., axis], axis, weights) for axis in (0, 1)]
        return dict(keypoint_x_labels=labels[0], keypoint_y_labels=labels[1],
                    keypoint_weights=weights)

    def _labels(self, bins, axis, weights):
        """(N, K) bin indices -> (N, K, L) label vectors, zero where ``weights`` is 0."""
        L = self.label_size[axis]
        grid = np.arange(L, dtype=np.float32)
        if self.label_type == 'gaussian':
            sigma = self.sigma[axis]
            labels = np.exp(-(grid - bins[..., None]) ** 2 / (2 * sigma ** 2))
            labels /= sigma * np.sqrt(2 * np.pi)
        else:
            e = self.label_smoothing
            labels = np.full(bins.shape + (L,), e / (L - 1) if L > 1 else 0.0)
            np.put_along_axis(labels, np.clip(bins, 0, L - 1)[..., None], 1.0 - e, axis=-1)
        return (labels * weights[..., None]).astype(np.float32)

    # ------------------------------------------------------------------ decode
    def decode(self, simcc_x: np.ndarray, simcc_y: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Logits (N, K, Lx) and (N, K, Ly) (or (K, Lx), (K, Ly)) -> keypoints (N, K, 2) in
        input pixels and scores (N, K) (see the class doc); NumPy in and out, computed in
        float64 by :meth:`decode_tensor`."""
        if simcc_x.ndim == 2:
            simcc_x, simcc_y = simcc_x[None], simcc_y[None]
        keypoints, scores = self.decode_tensor(torch.from_numpy(simcc_x.astype(np.float64)),
                                               torch.from_numpy(simcc_y.astype(np.float64)))
        return keypoints.numpy().astype(np.float32), scores.numpy().astype(np.float32)

    def decode_tensor(self, simcc_x: torch.Tensor,
                      simcc_y: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """:meth:`decode` on tensors (N, K, L), in their dtype and device, with torch operations
        only (what an exported ONNX graph does); keypoints (N, K, 2) and scores (N, K)."""
        coords, scores = [], []
        for axis, logits in enumerate((simcc_x, simcc_y)):
            idx = logits.argmax(-1)
            pos = idx.to(logits.dtype)
            if self.refine:
                pos = pos + self._parabola_offset(logits, idx)
            coords.append((pos + self._offset) / self.simcc_split_ratio - 0.5)
            scores.append(self._axis_score(logits, idx, axis))
        score = scores[0] * scores[1] if self.score_type == 'mass' else torch.minimum(*scores)
        return torch.stack(coords, -1), score

    @staticmethod
    def _parabola_offset(logits, idx):
        """Vertex of the parabola through the logits at idx - 1, idx, idx + 1, in [-0.5, 0.5]
        (0 at the ends of the vector and where the three are equal)."""
        L = logits.shape[-1]
        take = lambda i: logits.gather(-1, i.clamp(0, L - 1)[..., None])[..., 0]  # noqa: E731
        left, mid, right = take(idx - 1), take(idx), take(idx + 1)
        a, b = mid - left, mid - right  # both >= 0 at the argmax
        denom = a + b
        interior = (idx > 0) & (idx < L - 1) & (denom > 0)
        offset = (a - b) / (2 * torch.where(denom > 0, denom, torch.ones_like(denom)))
        return torch.where(interior, offset, torch.zeros_like(offset))

    def _axis_score(self, logits, idx, axis):
        if self.score_type == 'max':
            return logits.max(-1).values
        prob = logits.softmax(-1)
        bins = torch.arange(logits.shape[-1], device=logits.device)
        near = (bins - idx[..., None]).abs() <= int(self.score_radius_bins[axis])
        return (prob * near).sum(-1)
