"""Vectorised decoding against MMPose's codecs, on constructed heatmaps whose decode is well
conditioned (one clear Gaussian peak per map), and its edge cases."""
import numpy as np
import pytest
import torch
from mmpose.codecs import UDPHeatmap

from vitpose_ext.inference.decode import heatmap_to_input, merge_flip_heatmaps, udp_dark_decode

CODEC = dict(input_size=(192, 256), heatmap_size=(48, 64), sigma=2)


def peaked_heatmaps(n=4, k=17, seed=0):
    """Gaussian peaks (sigma 2, as the codec's targets) at sub-pixel positions, scaled, with a
    little noise: the maximum beats its neighbours by far more than float32 rounding."""
    rng = np.random.default_rng(seed)
    w, h = CODEC['heatmap_size']
    ys, xs = np.mgrid[0:h, 0:w]
    centers = rng.uniform([2, 2], [w - 3, h - 3], (n, k, 2))
    maps = np.exp(-((xs - centers[..., :1, None]) ** 2 + (ys - centers[..., 1:, None]) ** 2)
                  / (2 * 2.0 ** 2)) * rng.uniform(0.3, 1.0, (n, k, 1, 1))
    return (maps + rng.normal(0, 0.005, maps.shape)).astype(np.float32), centers


def mmpose_decode(heatmaps):
    codec = UDPHeatmap(**CODEC)
    out = [codec.decode(m) for m in heatmaps]
    return np.stack([k[0] for k, _ in out]), np.stack([s[0] for _, s in out])


def test_udp_dark_equals_mmposes_decode_on_clear_peaks():
    heatmaps, centers = peaked_heatmaps()
    keypoints, scores = udp_dark_decode(torch.from_numpy(heatmaps))
    keypoints = heatmap_to_input(keypoints, CODEC['heatmap_size'], CODEC['input_size'])
    expected, expected_scores = mmpose_decode(heatmaps)
    # float32 in another order of operations (blur sums, 2x2 inverse): ~1e-5 input px seen on
    # these clear peaks; a wrong stencil or scale moves keypoints by >= 0.1 px
    np.testing.assert_allclose(keypoints.numpy(), expected, atol=1e-3)
    np.testing.assert_array_equal(scores.numpy(), expected_scores)  # the maxima themselves
    # and DARK does refine: sub-pixel positions, near the true centres (input pixels)
    true = centers / [47, 63] * [192, 256]
    assert np.median(np.abs(keypoints.numpy() - true)) < 0.5
    assert (keypoints.numpy() % 4 != 0).mean() > 0.9


def test_maps_without_a_positive_value_start_at_minus_one_as_mmpose():
    heatmaps, _ = peaked_heatmaps(n=2)
    heatmaps[0, 0] -= 2.0  # no value > 0: MMPose's maximum is (-1, -1)
    heatmaps[1, 3] -= 2.0
    keypoints, scores = udp_dark_decode(torch.from_numpy(heatmaps))
    keypoints = heatmap_to_input(keypoints, CODEC['heatmap_size'], CODEC['input_size'])
    expected, expected_scores = mmpose_decode(heatmaps)
    np.testing.assert_allclose(keypoints.numpy(), expected, atol=1e-3)
    np.testing.assert_array_equal(scores.numpy(), expected_scores)
    assert (keypoints[0, 0] < 0).all() and (keypoints[1, 3] < 0).all()


def test_an_all_zero_map_decodes_to_a_number():
    """MMPose's blur divides 0 by 0 there (NaN keypoints); ours keeps the map."""
    heatmaps, _ = peaked_heatmaps(n=1)
    heatmaps[0, 5] = 0.0
    keypoints, scores = udp_dark_decode(torch.from_numpy(heatmaps))
    assert torch.isfinite(keypoints).all() and scores[0, 5] == 0


def test_the_flip_merge_maps_mirrored_maps_back():
    """A map and the mirror image of its symmetric keypoint's map merge into the same map."""
    heatmaps, _ = peaked_heatmaps(n=1, k=3)
    heatmaps = torch.from_numpy(heatmaps)
    flip_indices = [0, 2, 1]
    mirrored = heatmaps[:, flip_indices].flip(-1)
    merged = merge_flip_heatmaps(heatmaps, mirrored, flip_indices)
    torch.testing.assert_close(merged, heatmaps)
    assert not torch.equal(merge_flip_heatmaps(heatmaps, mirrored, [0, 1, 2]), heatmaps)


@pytest.mark.cuda
def test_udp_dark_on_cuda_equals_the_cpu():
    heatmaps, _ = peaked_heatmaps()
    cpu = udp_dark_decode(torch.from_numpy(heatmaps))[0]
    gpu = udp_dark_decode(torch.from_numpy(heatmaps).cuda())[0].cpu()
    torch.testing.assert_close(gpu, cpu, atol=1e-4, rtol=0)  # heatmap px; float32 kernels
