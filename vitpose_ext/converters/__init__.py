"""Checkpoint converters into vitpose_ext's layout (``tools/convert_checkpoint.py`` wraps them)."""
from .common import describe_load
from .hf_vitpose import convert_hf_vitpose
from .hf_vitpose_moe import convert_hf_vitpose_moe
from .merge_experts import merge_experts
from .mmpretrain_vit import convert_mmpretrain_vit
from .vitpose_official import convert_official_vitpose
from .vitpose_pp_official import convert_official_vitpose_pp

CONVERTERS = {
    'official': convert_official_vitpose,
    'mmpretrain': convert_mmpretrain_vit,
    'hf': convert_hf_vitpose,
    'official_pp': convert_official_vitpose_pp,
    'hf_moe': convert_hf_vitpose_moe,
}

__all__ = ['CONVERTERS', 'convert_hf_vitpose', 'convert_mmpretrain_vit',
           'convert_official_vitpose', 'describe_load']
__all__ += ['convert_hf_vitpose_moe', 'convert_official_vitpose_pp', 'merge_experts']
