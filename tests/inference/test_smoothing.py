"""One-Euro smoothing and IoU tracks: less jitter on still keypoints, bounded lag on moving
ones, persons followed across frames; and through the predictor on a real PoseTrack frame."""
import cv2
import numpy as np
import pytest

from helpers.realdata import realdata_path
from vitpose_ext.inference import ImagePrediction, OneEuroFilter, PoseSmoother, TopdownPredictor
from vitpose_ext.inference.smoothing import smoothing_factor

FPS = 30.0


def jitter(track):
    """Frame-to-frame displacement of (T, ..., 2) keypoints: its mean over the frames, the
    median over the keypoints (a random model's flat maps make a few keypoints jump far)."""
    return np.median(np.linalg.norm(np.diff(track, axis=0), axis=-1).mean(0))


def steady_lag_bound(speed, min_cutoff, beta):
    """The filter's steady lag on a ramp, at most (1 - a) / a frames of motion with the
    cut-off it has at that speed (px / frame)."""
    a = smoothing_factor(1 / FPS, min_cutoff + beta * speed * FPS)
    return speed * (1 - a) / a


def test_one_euro_removes_jitter_and_lags_a_ramp_by_its_bound():
    rng = np.random.default_rng(0)
    still = 100 + rng.normal(0, 1.0, (90, 17, 2))
    f = OneEuroFilter()
    smoothed = np.stack([f(x, 1 / FPS) for x in still])
    assert jitter(smoothed[10:]) < jitter(still[10:]) / 3
    speed = 4.0  # px / frame
    ramp = np.arange(90)[:, None, None] * speed + np.zeros((90, 17, 2))
    f = OneEuroFilter()
    lag = ramp[-1] - np.stack([f(x, 1 / FPS) for x in ramp])[-1]
    assert (lag > 0).all() and (lag <= steady_lag_bound(speed, 1.0, 0.05) + 1e-6).all()
    assert steady_lag_bound(speed, 1.0, 0.05) < steady_lag_bound(speed, 1.0, 0.0) / 5
    with pytest.raises(ValueError, match='OneEuroFilter'):
        OneEuroFilter(min_cutoff=0)


def frame(boxes, keypoints):
    boxes = np.asarray(boxes, np.float32)
    return ImagePrediction(image_id=0, path='', frame=0, shape=(), boxes=boxes,
                           keypoints=np.asarray(keypoints, np.float64),
                           keypoint_scores=np.ones((len(boxes), 1), np.float32),
                           areas=np.ones(len(boxes)))


def test_persons_keep_their_tracks_when_the_detector_reorders_them():
    smoother = PoseSmoother(fps=FPS)
    a, b = [0, 0, 10, 20, 0.9], [50, 0, 60, 20, 0.8]
    first = smoother(frame([a, b], [[[5, 5]], [[55, 5]]]))
    second = smoother(frame([[51, 0, 61, 20, 0.9], [1, 0, 11, 20, 0.8]],
                            [[[56, 5]], [[6, 5]]]))
    assert list(first.track_ids) == [0, 1] and list(second.track_ids) == [1, 0]
    assert 55 < second.keypoints[0, 0, 0] < 56  # filtered with the track's own history
    third = smoother(frame([[200, 200, 210, 220, 0.9]], [[[205, 205]]]))
    assert list(third.track_ids) == [2]  # no overlap: a new person, unfiltered
    assert third.keypoints[0, 0, 0] == 205


@pytest.mark.realdata
@pytest.mark.slow
def test_smoothing_a_models_keypoints_on_a_posetrack_frame(model_files):
    """A still sequence (one real frame, pixel noise each frame) jitters less when smoothed;
    the frame moving 2 px a frame (image and box shifted together: the same crops up to
    rounding, so the raw keypoints move with it wherever the random model's decode is well
    conditioned) is followed within the filter's lag bound."""
    config, checkpoint = model_files('vitpose')
    image = cv2.imread(realdata_path('posetrack18', 'videos', '000001_mpiinew_test',
                                     '000000.jpg'))[200:520, 400:880]
    box = np.array([[120, 20, 280, 300, 1.0]], np.float32)
    predictor = TopdownPredictor(config, checkpoint)
    rng = np.random.default_rng(0)
    raw, smoothed, smoother = [], [], PoseSmoother(fps=FPS)
    for _ in range(20):
        noisy = np.clip(image + rng.normal(0, 3, image.shape), 0, 255).astype(np.uint8)
        pred = predictor.predict(noisy, box)
        raw.append(pred.keypoints.copy())
        smoothed.append(smoother(pred).keypoints)
    assert jitter(np.stack(smoothed)[5:]) < jitter(np.stack(raw)[5:]) / 2
    speed, raw, smoothed, smoother = 2, [], [], PoseSmoother(fps=FPS)
    for t in range(20):
        shifted = cv2.warpAffine(image, np.float32([[1, 0, speed * t], [0, 1, 0]]),
                                 (image.shape[1] + 40, image.shape[0]))
        pred = predictor.predict(shifted, box + [speed * t, 0, speed * t, 0, 0])
        raw.append(pred.keypoints.copy())
        smoothed.append(smoother(pred).keypoints)
    raw, smoothed = np.stack(raw), np.stack(smoothed)
    ramp = speed * np.arange(20)[:, None, None] * [1, 0]
    clean = (np.abs(raw - raw[:1] - ramp[..., None, :]) < 0.05).all(axis=(0, 3))
    assert clean.mean() > 0.5
    lag = (raw[-1, ..., 0] - smoothed[-1, ..., 0])[clean]
    assert (lag > 0).all() and (lag <= steady_lag_bound(speed, 1.0, 0.05) + 0.05).all()
