"""SimDRLabel: quantisation bound of the round trip, parity with MMPose's SimCCLabel, scores,
refinement, argument checks."""
import numpy as np
import pytest
from mmpose.codecs import SimCCLabel
from mmpose.registry import KEYPOINT_CODECS

from vitpose_ext.codecs import SimDRLabel

W, H = 64, 48
LABELS = {
    'one_hot': dict(label_type='one_hot'),
    'smoothed': dict(label_type='one_hot', label_smoothing=0.1),
    'gaussian': dict(label_type='gaussian', sigma=(2.0, 3.0)),
}


def as_logits(labels):
    """The logits of a network whose softmax reproduces ``labels``."""
    return np.log(labels + 1e-12)


def points(rng, lo, hi, n=4000):
    """(1, n, 2) keypoints uniform in [lo, hi) per axis, plus the corners of that box."""
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    pts = rng.uniform(lo, hi, size=(n, 2))
    corners = np.array([[lo[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]], [hi[0], lo[1]]])
    corners = np.minimum(corners, hi - 1e-9)  # the box is half-open
    return np.concatenate([pts, corners])[None]


@pytest.mark.parametrize('refine', [False, True])
@pytest.mark.parametrize('k', [1.0, 1.5, 2.0, 3.0])
@pytest.mark.parametrize('label', sorted(LABELS))
def test_round_trip_error_is_below_half_a_bin_everywhere_in_the_input(label, k, refine):
    """The paper's quantisation claim: error < 1 / (2k) px. 'pixel' bins tile the input, which
    covers [-0.5, w - 0.5) x [-0.5, h - 0.5) in MMPose's pixel-centred coordinates."""
    codec = SimDRLabel((W, H), simcc_split_ratio=k, refine=refine, **LABELS[label])
    assert codec.label_size == (round(W * k), round(H * k))
    kps = points(np.random.default_rng(0), (-0.5, -0.5), (W - 0.5, H - 0.5))
    enc = codec.encode(kps, np.ones(kps.shape[:2]))
    assert enc['keypoint_x_labels'].shape == (1, kps.shape[1], round(W * k))
    assert enc['keypoint_y_labels'].shape == (1, kps.shape[1], round(H * k))
    assert (enc['keypoint_weights'] == 1).all()  # every point of the input has its bin
    dec, scores = codec.decode(as_logits(enc['keypoint_x_labels']),
                               as_logits(enc['keypoint_y_labels']))
    err = np.abs(dec - kps).max()
    assert err <= 1 / (2 * k) + 1e-5  # float32 output: ulp 8e-6 at 64 px
    assert err > 0.45 / k  # the bound is tight: points between bins sit ~half a bin away
    # a network that reproduces its labels is sure of its answer, up to the smoothing mass
    # (1 - 0.1 per axis) spread over the other bins
    assert scores.shape == (1, kps.shape[1])
    assert (scores > (0.81 if label == 'smoothed' else 0.99)).all()


@pytest.mark.parametrize('k', [1.0, 2.0, 3.0])
def test_mmpose_bin_centres_cover_a_shifted_range(k):
    """bin i at i / k (SimCCLabel's): the bound holds on [-1/(2k), w - 1/(2k)); points in the
    first 1/2 - 1/(2k) px of the input have no bin."""
    codec = SimDRLabel((W, H), simcc_split_ratio=k, label_type='one_hot', bin_centres='mmpose')
    half = 1 / (2 * k)
    kps = points(np.random.default_rng(1), (-half, -half), (W - half, H - half))
    enc = codec.encode(kps)
    assert (enc['keypoint_weights'] == 1).all()
    dec, _ = codec.decode(as_logits(enc['keypoint_x_labels']), as_logits(enc['keypoint_y_labels']))
    assert np.abs(dec - kps).max() <= half + 1e-5
    np.testing.assert_allclose(codec.bin_centres_px(0), np.arange(W * k) / k)
    edge = codec.encode(np.array([[[-0.5 + 1e-3, 5.0]]]))['keypoint_weights']
    assert edge[0, 0] == (1.0 if k == 1 else 0.0)


def test_weights_come_from_visibility_and_from_points_outside_the_input():
    codec = SimDRLabel((W, H), simcc_split_ratio=2.0, label_type='gaussian', sigma=2.0)
    kps = np.array([[[10, 10], [10, 10], [-0.6, 10], [10, H - 0.5], [W + 3, -4], [W - 0.51, 20]]],
                   dtype=np.float32)
    vis = np.array([[1, 0, 1, 1, 1, 1]], dtype=np.float32)
    enc = codec.encode(kps, vis)
    np.testing.assert_array_equal(enc['keypoint_weights'], [[1, 0, 0, 0, 0, 1]])
    for key in ('keypoint_x_labels', 'keypoint_y_labels'):
        labels = enc[key][0]
        assert (labels[1:5] == 0).all() and (labels[[0, 5]].sum(-1) > 0.5).all()


@pytest.mark.parametrize('k', [1.0, 2.0, 3.0])
@pytest.mark.parametrize('label', sorted(LABELS))
def test_encode_matches_mmpose_simcc_label(label, k):
    """Same labels and weights as SimCCLabel for in-bounds points with its bin centres i / k
    (and with the default 'pixel' centres at k = 1, where the two conventions coincide)."""
    kw = LABELS[label]
    if kw['label_type'] == 'gaussian':
        ref = SimCCLabel((W, H), smoothing_type='gaussian', sigma=kw['sigma'],
                         simcc_split_ratio=k)
    else:
        ref = SimCCLabel((W, H), smoothing_type='standard', simcc_split_ratio=k,
                         label_smooth_weight=kw.get('label_smoothing', 0.0))
    rng = np.random.default_rng(2)
    half = 1 / (2 * k)
    kps = points(rng, (-half, -half), (W - half, H - half), n=296).reshape(20, 15, 2)
    vis = (rng.uniform(size=kps.shape[:2]) > 0.2).astype(np.float32)
    expected = ref.encode(kps, vis)
    for centres in ['mmpose'] + (['pixel'] if k == 1 else []):
        got = SimDRLabel((W, H), simcc_split_ratio=k, bin_centres=centres, **kw).encode(kps, vis)
        for key in ('keypoint_x_labels', 'keypoint_y_labels', 'keypoint_weights'):
            np.testing.assert_allclose(got[key], expected[key], rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize('k', [1.0, 2.0, 3.0])
def test_decode_matches_mmpose_simcc_label(k):
    """argmax / k and MMPose's score min(max_x, max_y) with score_type='max' (on positive
    values: SimCCLabel marks a keypoint whose maximum is <= 0 as missing, ours does not)."""
    rng = np.random.default_rng(3)
    simcc_x = rng.uniform(0.01, 1, size=(5, 17, round(W * k))).astype(np.float32)
    simcc_y = rng.uniform(0.01, 1, size=(5, 17, round(H * k))).astype(np.float32)
    ref_kps, ref_scores = SimCCLabel((W, H), simcc_split_ratio=k).decode(simcc_x, simcc_y)
    codec = SimDRLabel((W, H), simcc_split_ratio=k, bin_centres='mmpose', score_type='max')
    kps, scores = codec.decode(simcc_x, simcc_y)
    np.testing.assert_allclose(kps, ref_kps, atol=1e-6)
    np.testing.assert_allclose(scores, ref_scores, rtol=1e-6)
    kps1, scores1 = codec.decode(simcc_x[0], simcc_y[0])  # one instance, (K, L) vectors
    np.testing.assert_allclose(kps1, kps[:1]), np.testing.assert_allclose(scores1, scores[:1])


def test_mass_scores_are_probabilities_independent_of_the_logit_offset():
    """'mass' = P(keypoint within the radius of the answer on both axes): 1 for a confident
    network, ~1/4 for an even split between two places, ~0 for a flat one; adding a constant
    to an image's logits (which changes nothing after softmax) leaves it unchanged, while
    MMPose's 'max' score moves with it."""
    codec = SimDRLabel((W, H), simcc_split_ratio=2.0, label_type='one_hot', score_radius=1.0)
    Lx, Ly = codec.label_size
    sharp_x, sharp_y = np.full((1, Lx), -20.0), np.full((1, Ly), -20.0)
    sharp_x[0, 40], sharp_y[0, 30] = 10, 10
    split_x, split_y = sharp_x.copy(), sharp_y.copy()
    split_x[0, 100], split_y[0, 80] = 10, 10
    flat_x, flat_y = np.zeros((1, Lx)), np.zeros((1, Ly))
    flat_x[0, 60] = flat_y[0, 50] = 1e-9  # the argmax away from the ends
    (_, s_sharp), (_, s_split), (_, s_flat) = (codec.decode(x, y) for x, y in (
        (sharp_x, sharp_y), (split_x, split_y), (flat_x, flat_y)))
    assert s_sharp[0, 0] == pytest.approx(1, abs=1e-6)
    assert s_split[0, 0] == pytest.approx(0.25, abs=1e-6)
    assert s_flat[0, 0] == pytest.approx(5 / Lx * 5 / Ly, rel=1e-6)  # 2 * 2 + 1 bins per axis
    _, shifted = codec.decode(sharp_x + 7.0, sharp_y - 3.0)
    assert shifted[0, 0] == pytest.approx(s_sharp[0, 0])
    raw = SimDRLabel((W, H), simcc_split_ratio=2.0, score_type='max')
    assert raw.decode(sharp_x + 7.0, sharp_y - 3.0)[1] != raw.decode(sharp_x, sharp_y)[1]


def test_default_score_radius_is_three_label_sigmas():
    codec = SimDRLabel((W, H), simcc_split_ratio=2.0, label_type='gaussian', sigma=(2.0, 3.0))
    np.testing.assert_array_equal(codec.score_radius_bins, [6, 9])
    enc = codec.encode(np.array([[[20.3, 17.8]]]))
    _, score = codec.decode(as_logits(enc['keypoint_x_labels']),
                            as_logits(enc['keypoint_y_labels']))
    assert 0.994 < score[0, 0] < 1  # 99.7% of a Gaussian per axis lies within 3 sigma
    np.testing.assert_array_equal(
        SimDRLabel((W, H), simcc_split_ratio=3.0, label_type='one_hot').score_radius_bins, [3, 3])


@pytest.mark.parametrize('centres', ['pixel', 'mmpose'])
def test_refinement_recovers_the_peak_of_log_gaussian_logits(centres):
    """A SimDR*-trained network that matches its target outputs log-Gaussian logits: the
    parabola through three bins finds their peak exactly, between bins; argmax alone is up to
    half a bin off."""
    k, sigma = 2.0, 3.0
    rng = np.random.default_rng(4)
    kps = rng.uniform(5, 40, size=(1, 200, 2))
    codecs = {r: SimDRLabel((W, H), simcc_split_ratio=k, bin_centres=centres, refine=r)
              for r in (False, True)}
    logits = []
    for axis in (0, 1):
        centres_px = codecs[True].bin_centres_px(axis)
        logits.append(-(centres_px - kps[..., axis, None]) ** 2 * k ** 2 / (2 * sigma ** 2))
    refined, _ = codecs[True].decode(*logits)
    plain, _ = codecs[False].decode(*logits)
    assert np.abs(refined - kps).max() < 1e-4
    assert np.abs(plain - kps).max() > 0.2 / k


def test_flip_shift():
    """A flipped input (x -> w - 1 - x) encodes to the reversed vector shifted by
    ``flip_shift``: 0 for 'pixel' bins, k - 1 for 'mmpose' bins."""
    rng = np.random.default_rng(5)
    kps = rng.uniform(3, 40, size=(1, 50, 2))
    flipped = kps.copy()
    flipped[..., 0] = W - 1 - kps[..., 0]
    for centres, k, shift in (('pixel', 2.0, 0), ('pixel', 3.0, 0), ('mmpose', 2.0, 1),
                              ('mmpose', 3.0, 2)):
        codec = SimDRLabel((W, H), simcc_split_ratio=k, label_type='one_hot',
                           bin_centres=centres)
        assert codec.flip_shift == shift
        orig = codec.encode(kps)['keypoint_x_labels'].argmax(-1)
        back = codec.encode(flipped)['keypoint_x_labels'][..., ::-1].argmax(-1) - shift
        np.testing.assert_array_equal(back, orig)


@pytest.mark.parametrize('kwargs', [
    dict(input_size=(0, 48)),
    dict(input_size=(64, )),
    dict(simcc_split_ratio=0.5),
    dict(label_type='heatmap'),
    dict(label_type='gaussian', label_smoothing=0.1),
    dict(label_type='one_hot', label_smoothing=1.0),
    dict(label_type='one_hot', label_smoothing=-0.1),
    dict(sigma=0.0),
    dict(sigma=(2.0, -1.0)),
    dict(sigma=(2.0, 3.0, 4.0)),
    dict(bin_centres='corner'),
    dict(score_type='softmax'),
    dict(score_radius=-1.0),
])
def test_invalid_arguments_raise_value_errors_naming_the_class(kwargs):
    kwargs = dict(dict(input_size=(W, H)), **kwargs)
    with pytest.raises(ValueError, match='SimDRLabel'):
        KEYPOINT_CODECS.build(dict(type='SimDRLabel', **kwargs))
