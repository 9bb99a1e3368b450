from .attention import Attention
from .block import Block
from .ema_quantizer import EMAVectorQuantizer
from .mixer import MixerBlock, mixer_stack
from .mlp import Mlp
from .moe_mlp import MoEMlp
from .patch_embed import PatchEmbed, resize_pos_embed
from .window_attention import WindowAttention

__all__ = ['Attention', 'Block', 'EMAVectorQuantizer', 'MixerBlock', 'Mlp', 'MoEMlp', 'PatchEmbed',
           'WindowAttention', 'mixer_stack', 'resize_pos_embed']
