"""Import the official ViTPose++ release (mmpose 0.x ``TopDownMoE`` + ``ViTMoE``).

Source keys: the ViTPose release's (see ``vitpose_official``) with factorised FFNs
``backbone.blocks.N.mlp.{fc1, fc2, experts.T}`` (``experts`` named as ours), the first data set's
head ``keypoint_head.*`` (COCO in the reference mix) and the others' heads
``associate_keypoint_heads.{i}.*`` for data sets i + 1 (AIC, MPII, AP-10K, APT-36K,
COCO-WholeBody). The result loads into ``MultiTaskTopdownPoseEstimator`` (``heads.T.*``).
"""
from .common import rename
from .vitpose_official import convert_official_vitpose


def convert_official_vitpose_pp(checkpoint):
    """Return the state dict of a ``MultiTaskTopdownPoseEstimator`` with ``ViTMoEMlp`` FFNs."""
    sd = convert_official_vitpose(checkpoint)  # backbone, keypoint_head -> head
    return rename(sd, [
        (r'^head\.', 'heads.0.'),
        (r'^associate_keypoint_heads\.(\d+)\.',
         lambda m: f'heads.{int(m[1]) + 1}.'),
    ])
