"""Stage 2 of knowledge-token distillation: a student trained with ground truth, token
distillation and output (heatmap) distillation from a frozen teacher.

Definitions (per training batch, after the data preprocessor; S the student, T the teacher, t* the
frozen knowledge tokens learned in stage 1 on T, P a trained linear map from T's width to S's, the
identity when they are equal):

* the student always runs as S({P(t*); X}): P(t*) appended after its patch tokens;
* ground truth: the student head's own loss against the ground-truth heatmaps (``loss_kpt``);
* output distillation (``loss_kd_output``): ``loss_output(S heatmaps, T heatmaps)``, where the
  teacher runs on the same augmented batch as T({t*; X}) (the stage-1 model), without gradients;
* token distillation (``loss_kd_token``): ``loss_token(Q(s), t)`` between the student's processed
  tokens s (its last-layer, normalised outputs at the token positions) mapped to the teacher's
  width by a trained linear Q, and the teacher's processed tokens t. With ``loss_token=None`` the
  token is only appended (the paper's literal form).

Each loss carries its weight in its config (``loss_weight``). The teacher is built frozen and in
eval mode (it stays there under ``train()``); its weights and t* (the stage-1 checkpoint's
``backbone.extra_tokens``) are loaded from ``teacher_checkpoint`` in ``init_weights()`` (before
``load_from`` / ``resume``). Checkpoints hold the student, P, Q and a copy of t* (the buffer
``teacher_tokens``), not the teacher (``save_teacher=True`` to keep it), so prediction never
needs the teacher.
"""
from contextlib import contextmanager, nullcontext

import torch
from mmengine.config import Config
from mmpose.models.heads import HeatmapHead
from mmpose.models.pose_estimators import TopdownPoseEstimator
from torch import nn

from ...registry import MODELS
from ...utils.checkpoint import load_frozen
from .knowledge_token import TOKENS_KEY, check_vit_backbone

TEACHER_PREFIX = 'teacher.'
TEACHER_TOKENS = 'teacher_tokens'  # the student's frozen copy of t*


def encode(estimator, inputs, extra_tokens=None):
    """Run a top-down ViTPose's backbone (and neck) with ``extra_tokens`` appended.

    Returns (feature maps, as ``extract_feat`` gives them; the processed extra tokens (B, E, C) of
    the backbone's last output, or None without extra tokens)."""
    feats, tokens = estimator.backbone.forward_maps_and_tokens(inputs, extra_tokens)
    if estimator.with_neck:
        feats = estimator.neck(feats)
    return feats, (tokens[-1] if tokens[-1].shape[1] else None)


@contextmanager
def record_output(module):
    """Collect the outputs of ``module``'s forward calls inside the block into a list."""
    outputs = []
    handle = module.register_forward_hook(lambda mod, args, out: outputs.append(out))
    try:
        yield outputs
    finally:
        handle.remove()


def check_heatmap_head(name, role, head):
    """Output distillation compares heatmaps: what the student head's ``final_layer`` gives and
    what the teacher head's ``forward`` gives, which for both is the heatmaps of a HeatmapHead."""
    if not isinstance(head, HeatmapHead):
        raise ValueError(f'{name}: output distillation (loss_output) compares heatmaps, so the '
                         f'{role} needs a HeatmapHead, not a {type(head).__name__} (token-only '
                         'distillation works with any head)')


def _drop_teacher_state(module, state_dict, prefix, local_metadata):
    """state_dict() post-hook: leave the teacher out unless ``save_teacher``."""
    if not module.save_teacher:
        for key in [k for k in state_dict if k.startswith(prefix + TEACHER_PREFIX)]:
            del state_dict[key]


def _ignore_missing_teacher(module, incompatible_keys):
    """load_state_dict() post-hook: a checkpoint without the teacher is complete (the teacher
    comes from ``teacher_checkpoint``) unless ``save_teacher``."""
    if not module.save_teacher:
        incompatible_keys.missing_keys[:] = [
            k for k in incompatible_keys.missing_keys
            if not (k.startswith(TEACHER_PREFIX) or f'.{TEACHER_PREFIX}' in k)]


@MODELS.register_module()
class TokenDistillPoseEstimator(TopdownPoseEstimator):
    """A top-down ViTPose student distilled from a frozen teacher with knowledge tokens.

    Args:
        teacher (dict | str | None): the teacher's model config (the plain one it was trained
            with, no extra tokens), or the path of a config file whose ``model`` it is. None:
            no teacher, for testing / deploying the student (no distillation loss allowed).
        teacher_checkpoint (str, optional): the stage-1 checkpoint (the teacher's weights and,
            with ``num_tokens``, its ``backbone.extra_tokens``), loaded in :meth:`init_weights`
            (:func:`~vitpose_ext.utils.checkpoint.load_frozen`). None keeps the teacher's
            initial weights (tests only; a warning is logged).
        num_tokens (int): knowledge tokens appended to the student (0: no token distillation).
        token_dims (int | None): the tokens' width; default the teacher backbone's (required
            without a teacher).
        loss_output (dict | None): output distillation loss (student heatmaps, teacher heatmaps:
            both heads MMPose's ``HeatmapHead``), e.g. ``dict(type='KeypointMSELoss',
            loss_weight=1.0)``; None: off.
        loss_token (dict | None): token distillation loss (student processed tokens mapped to
            the teacher's width, teacher processed tokens), e.g.
            ``dict(type='MSELoss', loss_weight=1e-3)``; None: tokens only appended.
        save_teacher (bool): keep the teacher's weights in ``state_dict()`` (checkpoints).
        **kwargs: :class:`TopdownPoseEstimator`'s arguments: the student.
    """

    def __init__(self, teacher=None, teacher_checkpoint=None, num_tokens=1, token_dims=None,
                 loss_output=None, loss_token=None, save_teacher=False, **kwargs):
        name = type(self).__name__
        check_vit_backbone(name, kwargs['backbone'], 'student')
        super().__init__(**kwargs)
        if num_tokens < 0:
            raise ValueError(f'{name}: num_tokens must be >= 0, got {num_tokens}')
        if teacher is None and (loss_output or loss_token):
            raise ValueError(f'{name}: distillation losses need a teacher')
        if teacher is None and teacher_checkpoint is not None:
            raise ValueError(f'{name}: teacher_checkpoint given, but no teacher model')
        if loss_token and not num_tokens:
            raise ValueError(f'{name}: loss_token needs num_tokens > 0')
        if loss_output:
            check_heatmap_head(name, 'student', self.head)
        self.num_tokens = num_tokens
        self.save_teacher = save_teacher
        self.teacher_checkpoint = teacher_checkpoint
        self.teacher = None
        if teacher is not None:
            if isinstance(teacher, str):
                teacher = Config.fromfile(teacher).model
            check_vit_backbone(name, teacher['backbone'], 'teacher')
            self.teacher = MODELS.build(teacher)
            if loss_output:
                check_heatmap_head(name, 'teacher', self.teacher.head)
            self._check_same_preprocessing()
            self.teacher.requires_grad_(False)
            self.teacher.eval()
            token_dims = token_dims or self.teacher.backbone.embed_dims
        if num_tokens:
            if token_dims is None:
                raise ValueError(f'{name}: token_dims is needed without a teacher')
            dims = self.backbone.embed_dims
            self.register_buffer(TEACHER_TOKENS, torch.zeros(1, num_tokens, token_dims))
            self.token_proj = nn.Linear(token_dims, dims) if token_dims != dims else nn.Identity()
            if loss_token:
                self.token_head = (nn.Linear(dims, token_dims) if token_dims != dims
                                   else nn.Identity())
        self.loss_output = MODELS.build(loss_output) if loss_output else None
        self.loss_token = MODELS.build(loss_token) if loss_token else None
        self.register_state_dict_post_hook(_drop_teacher_state)
        self.register_load_state_dict_post_hook(_ignore_missing_teacher)

    def _check_same_preprocessing(self):
        for key in ('mean', 'std'):
            ours = getattr(self.data_preprocessor, key, None)
            theirs = getattr(self.teacher.data_preprocessor, key, None)
            if (ours is None) != (theirs is None) or (
                    ours is not None and not torch.equal(ours, theirs)):
                raise ValueError(f'{type(self).__name__}: the teacher sees the student\'s '
                                 f'preprocessed batch, so both data preprocessors need the same '
                                 f'{key}')

    def train(self, mode=True):
        super().train(mode)
        if self.teacher is not None:
            self.teacher.eval()
        return self

    def student_tokens(self):
        """The (1, E, C_student) tokens appended to the student, or None."""
        return self.token_proj(getattr(self, TEACHER_TOKENS)) if self.num_tokens else None

    def extract_feat(self, inputs):
        return encode(self, inputs, self.student_tokens())[0]

    def loss(self, inputs, data_samples):
        feats, tokens = encode(self, inputs, self.student_tokens())
        # only output distillation reads the head's heatmaps; token distillation works with any
        # head (PCT's and SimDR's give no heatmaps)
        recorder = record_output(self.head.final_layer) if self.loss_output else nullcontext([])
        with recorder as heatmaps:
            losses = self.head.loss(feats, data_samples, train_cfg=self.train_cfg)
        if self.loss_output is None and self.loss_token is None:
            return losses
        with torch.no_grad():
            t_feats, t_tokens = encode(self.teacher, inputs,
                                       getattr(self, TEACHER_TOKENS) if self.num_tokens else None)
            t_heatmaps = self.teacher.head.forward(t_feats) if self.loss_output else None
        if self.loss_output is not None:
            if heatmaps[-1].shape != t_heatmaps.shape:
                raise ValueError(f'{type(self).__name__}: student heatmaps '
                                 f'{tuple(heatmaps[-1].shape)} and teacher heatmaps '
                                 f'{tuple(t_heatmaps.shape)} differ: use the same codec')
            losses['loss_kd_output'] = self.loss_output(heatmaps[-1], t_heatmaps)
        if self.loss_token is not None:
            losses['loss_kd_token'] = self.loss_token(self.token_head(tokens), t_tokens)
        return losses

    def init_weights(self):
        """Initialise the student, then load the frozen teacher and, with ``num_tokens``, its
        knowledge tokens (``backbone.extra_tokens``) from ``teacher_checkpoint``."""
        super().init_weights()
        if self.teacher is None:
            return
        name = type(self).__name__
        state = load_frozen(name, self.teacher, self.teacher_checkpoint, skip=(TOKENS_KEY, ))
        if state is None or not self.num_tokens:
            return
        token = state.get(TOKENS_KEY)
        if token is None:
            raise ValueError(f'{name}: the teacher checkpoint {self.teacher_checkpoint} holds no '
                             f'{TOKENS_KEY}: learn the knowledge tokens first (stage 1, '
                             'KnowledgeTokenPoseEstimator) and load that checkpoint (one of an '
                             'earlier version, with knowledge_token, converts with '
                             'tools/convert_checkpoint.py --format knowledge-token)')
        own = getattr(self, TEACHER_TOKENS)
        if token.shape != own.shape:
            raise ValueError(f'{name}: {TOKENS_KEY} of shape {tuple(token.shape)} in '
                             f'{self.teacher_checkpoint}, {tuple(own.shape)} expected')
        with torch.no_grad():
            own.copy_(token)
