"""Import HuggingFace transformers' ViTPose++ (``VitPoseForPoseEstimation`` whose backbone has
``num_experts > 1``: ``VitPoseBackboneMoeMLP``).

Source keys: as ``hf_vitpose`` with factorised FFNs ``backbone.encoder.layer.N.mlp.{fc1, fc2,
experts.T}`` (``experts`` named as ours) and a single head ``head.*`` (the released ViTPose++
conversions keep the first data set's, COCO's). The head becomes ``heads.{head_index}``; the result
loads into ``MultiTaskTopdownPoseEstimator`` (the other heads are reported missing).
"""
from .common import rename
from .hf_vitpose import convert_hf_vitpose


def convert_hf_vitpose_moe(checkpoint, head_index=0):
    """Return the state dict of a ``MultiTaskTopdownPoseEstimator`` with ``ViTMoEMlp`` FFNs."""
    return rename(convert_hf_vitpose(checkpoint), [(r'^head\.', f'heads.{head_index}.')])
