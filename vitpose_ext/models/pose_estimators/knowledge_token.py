"""Stage 1 of knowledge-token distillation: learn knowledge tokens on a frozen, trained teacher.

ViTPose (section "transferability"): append learnable tokens to the visual tokens of a trained
teacher right after patch embedding, freeze the teacher and train only the tokens with the
ground-truth heatmap loss for a few epochs. The tokens are the teacher backbone's extra tokens
(``ViTPoseBackbone(num_extra_tokens=...)``, ``backbone.extra_tokens``), so the stage-1
checkpoint is a plain top-down ViTPose with extra tokens: stage 2
(:class:`TokenDistillPoseEstimator`) loads it as its teacher, and MMPose's tools run it as it is.
"""
from mmpose.models.pose_estimators import TopdownPoseEstimator

from ...registry import MODELS
from ...utils.checkpoint import load_frozen
from ..backbones import ViTPoseBackbone

TOKENS_KEY = 'backbone.extra_tokens'  # where a stage-1 checkpoint holds the knowledge tokens


def check_vit_backbone(owner, backbone, role):
    """Raise a ValueError naming ``owner`` unless the ``backbone`` config builds a feature-map
    ``ViTPoseBackbone`` without extra tokens of its own."""
    kind = backbone.get('type')
    cls = MODELS.get(kind) if isinstance(kind, str) else kind
    if (not (isinstance(cls, type) and issubclass(cls, ViTPoseBackbone))
            or backbone.get('out_type', 'featmap') != 'featmap'):
        raise ValueError(f"{owner}: the {role} needs a ViTPoseBackbone with out_type='featmap' "
                         f'(knowledge tokens use its extra-token interface), got {kind}')
    if backbone.get('num_extra_tokens', 0):
        raise ValueError(f"{owner}: the {role}'s backbone has num_extra_tokens="
                         f"{backbone['num_extra_tokens']} of its own; the knowledge tokens are "
                         'the only extra tokens (set num_tokens instead)')


@MODELS.register_module()
class KnowledgeTokenPoseEstimator(TopdownPoseEstimator):
    """A trained top-down ViTPose, frozen, that learns ``num_tokens`` knowledge tokens.

    The model is the teacher's (same ``backbone`` / ``neck`` / ``head`` config as it was trained
    with), its backbone built with ``num_extra_tokens=num_tokens``: the knowledge tokens are the
    parameter ``backbone.extra_tokens`` (1, num_tokens, C), appended after the patch tokens.
    Every other parameter has ``requires_grad=False`` and every submodule stays in eval mode,
    also under ``train()`` (no dropout, drop path or BatchNorm statistics updates): only the
    tokens change. The teacher's weights are loaded from ``teacher_checkpoint`` in
    :meth:`init_weights` (:func:`~vitpose_ext.utils.checkpoint.load_frozen`), so ``load_from`` /
    ``resume`` still restore what their checkpoint holds; testing needs no teacher file.

    Args:
        num_tokens (int): number of knowledge tokens (the paper: 1).
        teacher_checkpoint (str, optional): the trained teacher (a plain ViTPose checkpoint, or
            a stage-1 one: its tokens are not taken). None keeps the teacher's initial weights
            (tests only; a warning is logged).
        **kwargs: :class:`TopdownPoseEstimator`'s arguments (the teacher's model config).
    """

    def __init__(self, num_tokens=1, teacher_checkpoint=None, **kwargs):
        name = type(self).__name__
        if num_tokens < 1:
            raise ValueError(f'{name}: num_tokens must be >= 1, got {num_tokens}')
        check_vit_backbone(name, kwargs['backbone'], 'teacher')
        kwargs['backbone'] = dict(kwargs['backbone'], num_extra_tokens=num_tokens)
        super().__init__(**kwargs)
        self.teacher_checkpoint = teacher_checkpoint
        self.requires_grad_(False)
        self.backbone.extra_tokens.requires_grad_(True)

    def init_weights(self):
        super().init_weights()
        load_frozen(type(self).__name__, self, self.teacher_checkpoint, skip=(TOKENS_KEY, ))

    def train(self, mode=True):
        super().train(mode)
        for child in self.children():  # the frozen teacher never leaves eval mode
            child.eval()
        return self
