"""JointSmoothL1Loss against a hand computation: coordinates scaled to pixels of the crop (x by
its width, y by its height), smooth-L1 with threshold beta in pixels, per-joint weights, the
mean over samples, joints and both coordinates (zero-weight joints counted), times loss_weight."""
import pytest
import torch

from vitpose_ext.models.losses import JointSmoothL1Loss
from vitpose_ext.registry import MODELS

# one sample, two joints; input crop 100 x 200 (w, h): normalised offsets -> pixel offsets
PRED = torch.tensor([[[0.5, 0.5], [0.2, 0.7]]], dtype=torch.float64)
OFFSET = torch.tensor([[[0.001, 0.01], [0.02, 0.0]]], dtype=torch.float64)  # px: .1, 2; 2, 0
SIZE = (100, 200)


def smooth_l1(d, beta):
    return 0.5 * d * d / beta if abs(d) < beta else abs(d) - 0.5 * beta


def test_hand_computed_value():
    loss = JointSmoothL1Loss(beta=0.5, loss_weight=2.0)
    out = loss(PRED + OFFSET, PRED, torch.tensor([[1.0, 0.5]], dtype=torch.float64), SIZE)
    # quadratic 0.5 * 0.1**2 / 0.5 = 0.01 below beta, linear 2 - 0.25 = 1.75 above it
    per_joint = [smooth_l1(0.1, 0.5) + smooth_l1(2.0, 0.5), smooth_l1(2.0, 0.5) + 0]
    assert per_joint == pytest.approx([1.76, 1.75])
    expected = 2.0 * (1.0 * per_joint[0] + 0.5 * per_joint[1]) / 4
    assert out.item() == pytest.approx(expected)
    assert out.item() == pytest.approx(1.3175)


def test_zero_weight_joints_count_in_the_mean():
    loss = JointSmoothL1Loss(beta=0.5)
    out = loss(PRED + OFFSET, PRED, torch.tensor([[1.0, 0.0]], dtype=torch.float64), SIZE)
    assert out.item() == pytest.approx(1.76 / 4)  # 4 coordinates, not the 2 of joint 0


def test_x_is_scaled_by_the_width_and_y_by_the_height():
    loss = JointSmoothL1Loss(beta=0.5)
    offset = torch.tensor([[[0.01, 0.0]]], dtype=torch.float64)  # 1 px wide, 2 px high
    pred, weights = torch.zeros(1, 1, 2, dtype=torch.float64), torch.ones(1, 1, dtype=torch.float64)
    assert loss(pred + offset, pred, weights, SIZE).item() == pytest.approx((1 - 0.25) / 2)
    assert loss(pred + offset.flip(-1), pred, weights, SIZE).item() == pytest.approx((2 - 0.25) / 2)


def test_default_beta_is_pcts_and_the_gradient_is_bounded():
    loss = MODELS.build(dict(type='JointSmoothL1Loss'))
    assert loss.beta == 0.05 and loss.loss_weight == 1.0
    pred = torch.tensor([[[0.9, 0.1]]], requires_grad=True)
    loss(pred, torch.zeros(1, 1, 2), torch.ones(1, 1), (10, 10)).backward()
    # far above beta: d/dpred of |10 * pred| / 2 is 10 / 2 = 5 per coordinate
    torch.testing.assert_close(pred.grad, torch.tensor([[[5.0, 5.0]]]))


@pytest.mark.parametrize('beta', [0.0, -1.0])
def test_beta_must_be_positive(beta):
    with pytest.raises(ValueError, match='JointSmoothL1Loss: beta must be positive'):
        JointSmoothL1Loss(beta=beta)
