"""Import HuggingFace transformers ``VitPoseForPoseEstimation`` state dicts.

Source keys (``vitpose_backbone``): ``backbone.embeddings.{patch_embeddings.projection,
position_embeddings (1, 1+N, C)}``, ``backbone.encoder.layer.N.{layernorm_before,
attention.attention.{query,key,value}, attention.output.dense, layernorm_after, mlp.fc1,
mlp.fc2}``, ``backbone.layernorm``; head ``head.{deconv1, batchnorm1, deconv2, batchnorm2, conv}``
(classic decoder) or ``head.conv`` (simple decoder).

HF adds the class position to the patch positions at run time, as the original does; we fold it
once. Note: ``VitPoseBackboneConfig`` defaults ``layer_norm_eps`` to 1e-12, the original ViTPose
(and this package) to 1e-6; use the eps of the checkpoint's config to reproduce its outputs.
"""
from ..utils.checkpoint import unwrap
from .common import fold_cls_pos, merge_qkv, rename

RULES = [
    (r'^backbone\.embeddings\.patch_embeddings\.projection\.', 'backbone.patch_embed.proj.'),
    (r'^backbone\.embeddings\.position_embeddings$', 'backbone.pos_embed'),
    (r'^backbone\.encoder\.layer\.(\d+)\.layernorm_before\.', r'backbone.blocks.\1.norm1.'),
    (r'^backbone\.encoder\.layer\.(\d+)\.layernorm_after\.', r'backbone.blocks.\1.norm2.'),
    (r'^backbone\.encoder\.layer\.(\d+)\.attention\.output\.dense\.',
     r'backbone.blocks.\1.attn.proj.'),
    (r'^backbone\.encoder\.layer\.(\d+)\.attention\.qkv\.', r'backbone.blocks.\1.attn.qkv.'),
    (r'^backbone\.encoder\.layer\.(\d+)\.mlp\.', r'backbone.blocks.\1.mlp.'),
    (r'^backbone\.layernorm\.', 'backbone.norm.'),
    (r'^head\.deconv1\.', 'head.deconv_layers.0.'),
    (r'^head\.batchnorm1\.', 'head.deconv_layers.1.'),
    (r'^head\.deconv2\.', 'head.deconv_layers.3.'),
    (r'^head\.batchnorm2\.', 'head.deconv_layers.4.'),
    (r'^head\.conv\.', 'head.final_layer.'),
]


def convert_hf_vitpose(state_dict):
    """Return the state dict of a ``TopdownPoseEstimator`` with ``ViTPoseBackbone`` + head."""
    sd = merge_qkv(unwrap(state_dict),
                   r'^(backbone\.encoder\.layer\.\d+\.attention)\.attention\.{part}\.',
                   r'\1.qkv.')
    sd = rename(sd, RULES)
    if 'backbone.pos_embed' in sd:
        sd['backbone.pos_embed'] = fold_cls_pos(sd['backbone.pos_embed'])
    return sd
