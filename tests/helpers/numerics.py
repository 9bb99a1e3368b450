"""Which decoded keypoints two code paths can be asked to agree on.

Two paths that compute the same model (ONNX and PyTorch, merged and MoE experts, another CPU's
kernels) agree on continuous outputs (heatmaps, logits) to a tolerance set by dtype and depth. A
decoded keypoint amplifies that difference by the decode's condition: an argmax flips where the
top two values are closer than the tolerance, and DARK's Newton step divides by the curvature of
the blurred log-heatmap, which is near 0 on an untrained model's flat maps. These helpers say how
far a decode can move, so that tests compare keypoints only as tightly as the decode allows.
"""
import numpy as np
from mmpose.codecs.utils import gaussian_blur


def top2_margin(logits: np.ndarray) -> np.ndarray:
    """(..., L) -> (...): the largest value minus the second largest."""
    top = np.sort(logits, axis=-1)
    return top[..., -1] - top[..., -2]


def dark_udp_error_bound(heatmaps: np.ndarray, tol: float, blur_kernel_size: int = 11
                         ) -> np.ndarray:
    """(K, h, w) heatmaps -> (K,) first-order bound, in heatmap pixels, on how far MMPose's UDP
    decode (``refine_keypoints_dark_udp``: the maximum, then one Newton step on the log of the
    blurred heatmap) moves when every heatmap value moves by at most ``tol``; inf where the
    maximum itself may move (a runner-up within ``2 * tol``) or the log is clipped.

    The blur (a kernel summing to 1, then a rescale that adds a constant to the log, which no
    derivative sees) moves each blurred value B by at most ``t = tol * rescale``, so each log
    value of the 3x3 stencil by at most ``e = t / (min B - t)``; then the gradient g moves by at
    most sqrt(2) e, the Hessian H by at most 8 e in spectral norm (4 e per entry: MMPose's
    stencils), and the step H^-1 g by at most ``|H^-1| e (sqrt(2) + 8 |H^-1 g|)``."""
    K, h, w = heatmaps.shape
    flat = heatmaps.reshape(K, -1)
    order = np.argsort(flat, axis=1)
    blurred = gaussian_blur(heatmaps.astype(np.float32).copy(), blur_kernel_size)
    bound = np.full(K, np.inf)
    for k in range(K):
        peak = flat[k, order[k, -1]]
        if peak - flat[k, order[k, -2]] <= 2 * tol:
            continue
        y, x = divmod(int(order[k, -1]), w)
        p = np.pad(blurred[k].astype(np.float64), 1, mode='edge')[y:y + 3, x:x + 3]
        t = tol * peak / blurred[k].max()
        if p.min() - t <= 1e-3:  # MMPose clips at 1e-3 before the log: flat there
            continue
        e = t / (p.min() - t)
        L = np.log(p)
        g = 0.5 * np.array([L[1, 2] - L[1, 0], L[2, 1] - L[0, 1]])
        dxx = L[1, 2] - 2 * L[1, 1] + L[1, 0]
        dyy = L[2, 1] - 2 * L[1, 1] + L[0, 1]
        dxy = 0.5 * (L[2, 2] - L[1, 2] - L[2, 1] + 2 * L[1, 1] - L[1, 0] - L[0, 1] + L[0, 0])
        inverse = np.linalg.pinv(np.array([[dxx, dxy], [dxy, dyy]]))
        norm = np.linalg.norm(inverse, 2)
        bound[k] = norm * e * (np.sqrt(2) + 8 * np.linalg.norm(inverse @ g))
    return bound
