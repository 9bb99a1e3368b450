"""Cross entropy of 1-D coordinate classification (SimDR) against soft or one-hot labels."""
from typing import Optional, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ...registry import MODELS


@MODELS.register_module()
class SimDRCrossEntropyLoss(nn.Module):
    """``-sum_i t_i log softmax(p)_i`` per keypoint and axis, for one-hot and label-smoothed
    SimDR labels (``SimDRLabel(label_type='one_hot')``), weighted per keypoint.

    Same call as MMPose's ``KLDiscretLoss``: ``loss((pred_x, pred_y), (gt_x, gt_y), weights)``
    with (N, K, Lx), (N, K, Ly) logits and labels and (N, K) weights. Returns
    ``loss_weight * sum_{n,k} w_nk (CE_x + CE_y) / (N * K)``: the x and y cross entropies
    summed, averaged over samples and keypoints. (MMPose 1.3's ``KLDiscretLoss`` differs by the
    label entropy, a constant, by averaging over bins instead of summing, which scales the x
    and y terms by 1 / Lx and 1 / Ly, and by summing over the batch instead of averaging: its
    scale grows with the batch size.)

    Args:
        use_target_weight (bool): weight keypoints by ``keypoint_weights``.
        loss_weight (float): factor on the loss.
    """

    def __init__(self, use_target_weight: bool = True, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.use_target_weight = use_target_weight
        self.loss_weight = loss_weight

    def forward(self, pred_simcc: Sequence[torch.Tensor], gt_simcc: Sequence[torch.Tensor],
                target_weight: Optional[torch.Tensor] = None) -> torch.Tensor:
        loss = 0
        for pred, target in zip(pred_simcc, gt_simcc):
            ce = -(target * F.log_softmax(pred, dim=-1)).sum(-1)  # (N, K)
            if self.use_target_weight:
                ce = ce * target_weight.reshape(ce.shape)
            loss = loss + ce.mean()
        return self.loss_weight * loss
