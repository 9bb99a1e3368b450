"""Import mmpretrain ``VisionTransformer`` weights (classification, MAE pre-training, or an MMPose
model that uses it as backbone) into ``ViTPoseBackbone``'s layout.

mmpretrain drops the class-token position when ``with_cls_token=False``; so does this converter
(MAE's class position is a fixed zero sin-cos row anyway). MAE's decoder (``neck.*``) and the class
token are dropped; keys outside ``prefix`` are kept as they are (e.g. an MMPose ``head.*``).
"""
from ..models.backbones.vit import KEY_LAYOUTS
from ..utils.checkpoint import unwrap
from .common import rename


def _rules(p):
    p = p.replace('.', r'\.')
    return [
        (rf'^{p}cls_token$', None),
        (rf'^{p}mask_token$', None),
        (r'^neck\.', None),  # MAE decoder
        (rf'^{p}patch_embed\.projection\.', 'PFX.patch_embed.proj.'),
        (rf'^{p}layers\.(\d+)\.ln1\.', r'PFX.blocks.\1.norm1.'),
        (rf'^{p}layers\.(\d+)\.ln2\.', r'PFX.blocks.\1.norm2.'),
        (rf'^{p}layers\.(\d+)\.attn\.', r'PFX.blocks.\1.attn.'),
        (rf'^{p}layers\.(\d+)\.ffn\.layers\.0\.0\.', r'PFX.blocks.\1.mlp.fc1.'),
        (rf'^{p}layers\.(\d+)\.ffn\.layers\.1\.', r'PFX.blocks.\1.mlp.fc2.'),
        (rf'^{p}ln1\.', 'PFX.norm.'),
        (rf'^{p}pos_embed$', 'PFX.pos_embed'),
    ]


def is_mmpretrain_vit(keys, prefix=''):
    """True when ``keys`` hold mmpretrain ViT weights under ``prefix``."""
    marks = (f'{prefix}patch_embed.projection.', f'{prefix}layers.0.')
    return any(k.startswith(marks) for k in keys)


def convert_mmpretrain_vit(checkpoint, prefix='backbone.'):
    """Convert the keys under ``prefix`` ('' for a bare backbone state dict)."""
    sd = unwrap(checkpoint)
    has_cls = f'{prefix}cls_token' in sd
    out = {k.replace('PFX.', prefix): v for k, v in rename(sd, _rules(prefix)).items()}
    if has_cls and f'{prefix}pos_embed' in out:
        out[f'{prefix}pos_embed'] = out[f'{prefix}pos_embed'][:, 1:]
    return out


# ViTPoseBackbone loads these checkpoints directly too (init_cfg=dict(type='Pretrained', ...))
KEY_LAYOUTS.append(('mmpretrain ViT', is_mmpretrain_vit, convert_mmpretrain_vit))
