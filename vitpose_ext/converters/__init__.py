"""Checkpoint converters into vitpose_ext's layout (``tools/convert_checkpoint.py`` wraps them)."""
from .hf_vitpose import convert_hf_vitpose
from .hf_vitpose_moe import convert_hf_vitpose_moe, merge_hf_vitpose_moe
from .knowledge_token import convert_knowledge_token
from .merge_experts import merge_experts
from .mmpretrain_vit import convert_mmpretrain_vit, is_mmpretrain_vit
from .pct_official import convert_official_pct, release_swin_v2
from .vitpose_official import convert_official_vitpose
from .vitpose_pp_official import convert_official_vitpose_pp

CONVERTERS = {
    'official': convert_official_vitpose,
    'mmpretrain': convert_mmpretrain_vit,
    'hf': convert_hf_vitpose,
    'knowledge-token': convert_knowledge_token,
    'official_pp': convert_official_vitpose_pp,
    'hf_moe': convert_hf_vitpose_moe,
    'official_pct': convert_official_pct,
}

__all__ = ['CONVERTERS', 'convert_hf_vitpose', 'convert_hf_vitpose_moe', 'convert_knowledge_token',
           'convert_mmpretrain_vit', 'convert_official_pct', 'convert_official_vitpose',
           'convert_official_vitpose_pp', 'is_mmpretrain_vit', 'merge_experts',
           'merge_hf_vitpose_moe', 'release_swin_v2']
