"""Fold the knowledge tokens of a distillation checkpoint into a plain ViTPose's extra tokens.

A stage-2 student (``TokenDistillPoseEstimator``) runs with the fixed tokens P(t*): its
``token_proj`` applied to ``teacher_tokens``, its copy of the frozen stage-1 tokens. That is the
same network as a plain ``TopdownPoseEstimator`` whose ``ViTPoseBackbone(num_extra_tokens=E)``
holds P(t*) as ``backbone.extra_tokens``: this converter writes them there and drops the
distillation-only entries (``teacher_tokens``, ``token_proj.*``, ``token_head.*``,
``teacher.*``). A stage-1 checkpoint (``KnowledgeTokenPoseEstimator``) already is such a plain
model and comes back unchanged. Checkpoints of earlier versions, which held the tokens as
``knowledge_token`` in both stages, convert the same way.
"""
import torch.nn.functional as F

from ..utils.checkpoint import unwrap

DISTILL_ONLY = ('token_proj.', 'token_head.', 'teacher.')
TOKEN_KEYS = ('teacher_tokens', 'knowledge_token')  # stage 2's; both stages' before


def convert_knowledge_token(checkpoint):
    """Stage-1 / stage-2 checkpoint -> state dict of the plain ViTPose with extra tokens."""
    sd = unwrap(checkpoint)
    key = next((k for k in TOKEN_KEYS if k in sd), None)
    if key is None:
        if 'backbone.extra_tokens' in sd:  # stage 1: the tokens are the backbone's already
            return dict(sd)
        raise ValueError('convert_knowledge_token: the checkpoint holds no teacher_tokens, '
                         'knowledge_token or backbone.extra_tokens (not a '
                         'KnowledgeTokenPoseEstimator / TokenDistillPoseEstimator one)')
    tokens = sd[key].float()
    if 'token_proj.weight' in sd:
        bias = sd.get('token_proj.bias')
        tokens = F.linear(tokens, sd['token_proj.weight'].float(),
                          None if bias is None else bias.float())
    out = {k: v for k, v in sd.items() if k not in TOKEN_KEYS and not k.startswith(DISTILL_ONLY)}
    out['backbone.extra_tokens'] = tokens
    return out
