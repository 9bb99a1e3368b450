"""Import the official ViTPose release (mmpose 0.x layout) into vitpose_ext's layout.

Source keys: ``backbone.{patch_embed.proj, pos_embed (1, 1+N, C), blocks.N.*, last_norm}`` and
``keypoint_head.{deconv_layers.*, final_layer}``. The block names are timm's, as ours; the class
token position is folded into the patch positions; the head maps onto MMPose 1.x's
``HeatmapHead`` (same Sequential indices, classic or simple decoder).
"""
from ..utils.checkpoint import unwrap
from .common import fold_cls_pos, rename

RULES = [
    (r'^backbone\.cls_token$', None),
    (r'^backbone\.last_norm\.', 'backbone.norm.'),
    (r'^keypoint_head\.', 'head.'),
]


def convert_official_vitpose(checkpoint):
    """Return the state dict of a ``TopdownPoseEstimator`` with ``ViTPoseBackbone`` + head."""
    sd = rename(unwrap(checkpoint), RULES)
    if 'backbone.pos_embed' in sd:
        sd['backbone.pos_embed'] = fold_cls_pos(sd['backbone.pos_embed'])
    return sd
