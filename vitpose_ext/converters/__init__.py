"""Checkpoint converters into vitpose_ext's layout (``tools/convert_checkpoint.py`` wraps them)."""
from .common import describe_load
from .hf_vitpose import convert_hf_vitpose
from .knowledge_token import convert_knowledge_token
from .mmpretrain_vit import convert_mmpretrain_vit, is_mmpretrain_vit
from .vitpose_official import convert_official_vitpose

CONVERTERS = {
    'official': convert_official_vitpose,
    'mmpretrain': convert_mmpretrain_vit,
    'hf': convert_hf_vitpose,
    'knowledge-token': convert_knowledge_token,
}

__all__ = ['CONVERTERS', 'convert_hf_vitpose', 'convert_knowledge_token', 'convert_mmpretrain_vit',
           'convert_official_vitpose', 'describe_load', 'is_mmpretrain_vit']
