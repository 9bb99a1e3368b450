"""A top-down estimator that trains its head (and neck) on a frozen, trained backbone (PCT's
stage 2)."""
import torch
from mmpose.models.pose_estimators import TopdownPoseEstimator

from ...registry import MODELS
from ...utils.checkpoint import load_frozen


@MODELS.register_module()
class FrozenBackbonePoseEstimator(TopdownPoseEstimator):
    """``TopdownPoseEstimator`` whose backbone is frozen: it gets no gradients, stays in eval
    mode (BN statistics, dropout, drop path) and runs without autograd. PCT trains its classifier
    head this way on the backbone of a trained heatmap model. Any registered backbone works.

    Args:
        backbone_checkpoint (str, optional): the trained backbone, loaded in
            :meth:`init_weights` (:func:`~vitpose_ext.utils.checkpoint.load_frozen`, strictly):
            a whole model's checkpoint (its ``backbone.*`` keys are taken) or a backbone's own.
            ``load_from`` / ``resume`` still restore what their checkpoint holds; testing needs
            no backbone file. None keeps the initial weights (tests only; a warning is logged).
        **kwargs: :class:`TopdownPoseEstimator`'s arguments.
    """

    def __init__(self, backbone_checkpoint=None, **kwargs):
        super().__init__(**kwargs)
        self.backbone_checkpoint = backbone_checkpoint
        self.backbone.requires_grad_(False)

    def init_weights(self):
        super().init_weights()
        load_frozen(type(self).__name__, self.backbone, self.backbone_checkpoint,
                    prefixes=('backbone.', ''))

    def train(self, mode=True):
        super().train(mode)
        self.backbone.eval()
        return self

    def extract_feat(self, inputs):
        with torch.no_grad():
            x = self.backbone(inputs)
        return self.neck(x) if self.with_neck else x
