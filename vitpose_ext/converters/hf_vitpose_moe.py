"""Import HuggingFace transformers' ViTPose++ (``VitPoseForPoseEstimation`` whose backbone has
``num_experts > 1``: ``VitPoseBackboneMoeMLP``).

Source keys: as ``hf_vitpose`` with factorised FFNs ``backbone.encoder.layer.N.mlp.{fc1, fc2,
experts.T}`` (``experts`` named as ours) and a single head ``head.*``: the HF conversions of the
ViTPose++ release keep only the first data set's head (COCO's), although every data set's expert
is there. :func:`convert_hf_vitpose_moe` puts that head at ``heads.{head_index}`` of a
``MultiTaskTopdownPoseEstimator`` (the other heads stay untrained: fine-tune them, or
deploy data set 0 only); :func:`merge_hf_vitpose_moe` makes the plain ViTPose of data set 0 and
refuses the other data sets, which have no head in the file.
"""
from .common import rename
from .hf_vitpose import convert_hf_vitpose
from .merge_experts import merge_experts


def convert_hf_vitpose_moe(checkpoint, head_index=0):
    """Return the state dict of a ``MultiTaskTopdownPoseEstimator`` with ``ViTMoEMlp`` FFNs."""
    return rename(convert_hf_vitpose(checkpoint), [(r'^head\.', f'heads.{head_index}.')])


def merge_hf_vitpose_moe(checkpoint, dataset_idx=0):
    """The state dict of a plain ViTPose (``TopdownPoseEstimator``) for data set ``dataset_idx``:
    its expert merged into each FFN and the file's one head. Only data set 0 has that head."""
    if dataset_idx != 0:
        raise ValueError(f'merge_hf_vitpose_moe: HuggingFace ViTPose++ checkpoints hold one head, '
                         f"data set 0's (COCO's), so data set {dataset_idx} has no head in the "
                         'file; use the official release (--format official_pp), which has them')
    return merge_experts(convert_hf_vitpose_moe(checkpoint, head_index=0), 0)
