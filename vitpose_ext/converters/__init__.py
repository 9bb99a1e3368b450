"""Checkpoint converters into vitpose_ext's layout (``tools/convert_checkpoint.py`` wraps them)."""
from .common import describe_load
from .hf_vitpose import convert_hf_vitpose
from .mmpretrain_vit import convert_mmpretrain_vit, is_mmpretrain_vit
from .vitpose_official import convert_official_vitpose

CONVERTERS = {
    'official': convert_official_vitpose,
    'mmpretrain': convert_mmpretrain_vit,
    'hf': convert_hf_vitpose,
}

__all__ = ['CONVERTERS', 'convert_hf_vitpose', 'convert_mmpretrain_vit',
           'convert_official_vitpose', 'describe_load', 'is_mmpretrain_vit']
