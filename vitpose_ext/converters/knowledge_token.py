"""Fold the knowledge token of a distillation checkpoint into a plain ViTPose's extra tokens.

A stage-2 student (``TokenDistillPoseEstimator``) runs with the fixed tokens P(t*) (its
``token_proj`` applied to its copy of the frozen ``knowledge_token``); a stage-1 model
(``KnowledgeTokenPoseEstimator``) with t* itself. Either is the same network as a plain
``TopdownPoseEstimator`` whose ``ViTPoseBackbone(num_extra_tokens=E)`` holds those tokens as
``backbone.extra_tokens``: this converter writes them there and drops the distillation-only
entries (``knowledge_token``, ``token_proj.*``, ``token_head.*``, ``teacher.*``).
"""
import torch.nn.functional as F

from ..utils.checkpoint import unwrap

DISTILL_ONLY = ('token_proj.', 'token_head.', 'teacher.')


def convert_knowledge_token(checkpoint):
    """Stage-1 / stage-2 checkpoint -> state dict of the plain ViTPose with extra tokens."""
    sd = unwrap(checkpoint)
    if 'knowledge_token' not in sd:
        raise ValueError('convert_knowledge_token: the checkpoint holds no knowledge_token '
                         '(not a KnowledgeTokenPoseEstimator / TokenDistillPoseEstimator one)')
    tokens = sd['knowledge_token'].float()
    if 'token_proj.weight' in sd:
        bias = sd.get('token_proj.bias')
        tokens = F.linear(tokens, sd['token_proj.weight'].float(),
                          None if bias is None else bias.float())
    out = {k: v for k, v in sd.items()
           if k != 'knowledge_token' and not k.startswith(DISTILL_ONLY)}
    out['backbone.extra_tokens'] = tokens
    return out
