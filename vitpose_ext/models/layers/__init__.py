from .attention import Attention
from .block import Block
from .mlp import Mlp
from .moe_mlp import MoEMlp
from .patch_embed import PatchEmbed, resize_pos_embed
from .window_attention import WindowAttention

__all__ = ['Attention', 'Block', 'Mlp', 'MoEMlp', 'PatchEmbed', 'WindowAttention',
           'resize_pos_embed']
