"""Stage 1 of knowledge-token distillation: learn knowledge tokens on a frozen, trained teacher.

ViTPose (section "transferability"): append learnable tokens to the visual tokens of a trained
teacher right after patch embedding, freeze the teacher and train only the tokens with the
ground-truth heatmap loss for a few epochs. The stage-1 checkpoint (the teacher's weights plus
``knowledge_token``) is what stage 2 (:class:`TokenDistillPoseEstimator`) loads as its teacher.
"""
import torch
from mmengine.model.weight_init import trunc_normal_
from mmpose.models.pose_estimators import TopdownPoseEstimator
from torch import nn

from ...utils.checkpoint import load_frozen
from ...registry import MODELS
from ..backbones import ViTPoseBackbone

TOKEN_KEY = 'knowledge_token'


def check_vit_backbone(owner, backbone, role):
    """Raise a ValueError naming ``owner`` unless ``backbone`` is a feature-map ViTPoseBackbone."""
    if not isinstance(backbone, ViTPoseBackbone) or backbone.out_type != 'featmap':
        raise ValueError(f"{owner}: the {role} needs a ViTPoseBackbone with out_type='featmap' "
                         f'(knowledge tokens use its extra-token interface), got '
                         f'{type(backbone).__name__}')


@MODELS.register_module()
class KnowledgeTokenPoseEstimator(TopdownPoseEstimator):
    """A trained top-down ViTPose, frozen, that learns ``num_tokens`` knowledge tokens.

    The model is the teacher's (same ``backbone`` / ``neck`` / ``head`` config as it was trained
    with) plus the parameter ``knowledge_token`` (1, num_tokens, C), appended after the patch
    tokens through ``ViTPoseBackbone.forward(x, extra_tokens=...)``. Every other parameter has
    ``requires_grad=False`` and every submodule stays in eval mode, also under ``train()`` (no
    dropout, drop path or BatchNorm statistics updates): only the token changes. The teacher's
    weights are loaded from ``teacher_checkpoint`` in :meth:`init_weights`
    (:func:`~vitpose_ext.utils.checkpoint.load_frozen`), so ``load_from`` / ``resume`` still
    restore what their checkpoint holds; testing needs no teacher file.

    Args:
        num_tokens (int): number of knowledge tokens (the paper: 1).
        teacher_checkpoint (str, optional): the trained teacher (a plain ViTPose checkpoint, or
            a stage-1 one: its token is not taken). None keeps the teacher's initial weights
            (tests only; a warning is logged).
        **kwargs: :class:`TopdownPoseEstimator`'s arguments (the teacher's model config).
    """

    def __init__(self, num_tokens=1, teacher_checkpoint=None, **kwargs):
        super().__init__(**kwargs)
        self.teacher_checkpoint = teacher_checkpoint
        name = type(self).__name__
        check_vit_backbone(name, self.backbone, 'teacher')
        if num_tokens < 1:
            raise ValueError(f'{name}: num_tokens must be >= 1, got {num_tokens}')
        self.requires_grad_(False)
        self.knowledge_token = nn.Parameter(
            torch.zeros(1, num_tokens, self.backbone.embed_dims))

    def init_weights(self):
        super().init_weights()
        trunc_normal_(self.knowledge_token, std=0.02)
        load_frozen(type(self).__name__, self, self.teacher_checkpoint, skip=(TOKEN_KEY,))

    def train(self, mode=True):
        super().train(mode)
        for child in self.children():  # the frozen teacher never leaves eval mode
            child.eval()
        return self

    def extract_feat(self, inputs):
        feats = self.backbone(inputs, extra_tokens=self.knowledge_token)
        return self.neck(feats) if self.with_neck else feats
