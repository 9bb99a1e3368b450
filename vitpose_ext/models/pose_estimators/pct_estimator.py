"""PCT stage 2: a top-down estimator whose backbone can be frozen."""
import torch
from mmpose.models.pose_estimators import TopdownPoseEstimator

from ...registry import MODELS


@MODELS.register_module()
class PCTPoseEstimator(TopdownPoseEstimator):
    """``TopdownPoseEstimator`` with ``freeze_backbone``: PCT trains its classifier head on the
    backbone of a trained heatmap model, frozen. A frozen backbone gets no gradients, stays in
    eval mode (BN statistics, dropout, drop path) and runs without autograd. Any registered
    backbone works; load its weights through its ``init_cfg`` (e.g.
    ``dict(type='Pretrained', checkpoint=HEATMAP_CKPT, prefix='backbone.')``).
    """

    def __init__(self, *args, freeze_backbone=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.freeze_backbone = freeze_backbone
        if freeze_backbone:
            self.backbone.requires_grad_(False)

    def train(self, mode=True):
        super().train(mode)
        if self.freeze_backbone:
            self.backbone.eval()
        return self

    def extract_feat(self, inputs):
        if not self.freeze_backbone:
            return super().extract_feat(inputs)
        with torch.no_grad():
            x = self.backbone(inputs)
        return self.neck(x) if self.with_neck else x
