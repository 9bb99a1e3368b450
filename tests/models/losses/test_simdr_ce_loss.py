"""SimDRCrossEntropyLoss against torch's cross entropy, and its keypoint weights."""
import torch
import torch.nn.functional as F
from mmpose.models.losses import KLDiscretLoss

from vitpose_ext.models.losses import SimDRCrossEntropyLoss


def test_one_hot_and_soft_labels_match_torch_cross_entropy():
    torch.manual_seed(0)
    N, K, Lx, Ly = 3, 5, 20, 30
    pred = (torch.randn(N, K, Lx), torch.randn(N, K, Ly))
    idx = (torch.randint(Lx, (N, K)), torch.randint(Ly, (N, K)))
    one_hot = tuple(F.one_hot(i, L).float() for i, L in zip(idx, (Lx, Ly)))
    loss = SimDRCrossEntropyLoss()
    expected = sum(F.cross_entropy(p.reshape(N * K, -1), i.reshape(-1))
                   for p, i in zip(pred, idx))
    torch.testing.assert_close(loss(pred, one_hot, torch.ones(N, K)), expected)
    soft = tuple(0.9 * t + 0.1 * (1 - t) / (t.shape[-1] - 1) for t in one_hot)  # smoothing
    expected = sum(F.cross_entropy(p.reshape(N * K, -1), t.reshape(N * K, -1))
                   for p, t in zip(pred, soft))
    torch.testing.assert_close(SimDRCrossEntropyLoss(loss_weight=2.0)(pred, soft,
                                                                      torch.ones(N, K)),
                               2 * expected)


def test_weights_and_the_relation_to_kl():
    """Zero-weight keypoints add nothing; the gradient equals KLDiscretLoss's up to its
    scaling: it averages over the L bins and sums over the N instances, so it is L / N times
    smaller."""
    torch.manual_seed(1)
    N, K, L = 4, 3, 16
    pred = torch.randn(N, K, L, requires_grad=True)
    target = torch.softmax(torch.randn(N, K, L) * 3, -1)
    weights = torch.ones(N, K)
    weights[0, 1] = 0
    loss = SimDRCrossEntropyLoss()((pred, pred), (target, target), weights)
    changed = pred.detach().clone()
    changed[0, 1] += torch.randn(L) * 5
    assert SimDRCrossEntropyLoss()((changed, changed), (target, target), weights) == loss
    grad_ce, = torch.autograd.grad(loss, pred)
    kl = KLDiscretLoss(use_target_weight=True)((pred, pred), (target, target), weights)
    grad_kl, = torch.autograd.grad(kl, pred)
    torch.testing.assert_close(grad_ce, grad_kl * L / N)
