"""PCT's joint loss: smooth-L1 on coordinates in pixels of the input crop."""
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

from ...registry import MODELS


@MODELS.register_module()
class JointSmoothL1Loss(nn.Module):
    """Smooth-L1 (quadratic below ``beta`` pixels) on joint coordinates, weighted per joint.

    Predictions and targets are normalised to the input crop ([0, 1], MMPose's
    ``RegressionLabel``); ``input_size`` (w, h) scales them back to pixels of the crop, the
    unit PCT's ``beta`` = 0.05 and loss weights are given in. The mean runs over samples, joints
    and both coordinates, zero-weight joints included (as in PCT).

    Args:
        beta (float): smooth-L1 threshold in pixels.
        loss_weight (float): multiplier of the loss.
    """

    def __init__(self, beta: float = 0.05, loss_weight: float = 1.0) -> None:
        super().__init__()
        if beta <= 0:
            raise ValueError(f'{type(self).__name__}: beta must be positive, got {beta}')
        self.beta, self.loss_weight = beta, loss_weight

    def forward(self, pred: torch.Tensor, target: torch.Tensor, weights: torch.Tensor,
                input_size: Sequence[float]) -> torch.Tensor:
        """pred, target: (B, K, 2) normalised; weights: (B, K); input_size: (w, h) pixels."""
        scale = torch.as_tensor(input_size, dtype=pred.dtype, device=pred.device)
        loss = F.smooth_l1_loss(pred * scale, target * scale, beta=self.beta, reduction='none')
        return (loss * weights.unsqueeze(-1)).mean() * self.loss_weight
