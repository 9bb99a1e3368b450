from .attention import Attention
from .block import Block
from .ema_quantizer import EMAVectorQuantizer
from .mixer import MixerBlock, mixer_stack
from .mlp import Mlp
from .patch_embed import PatchEmbed, resize_pos_embed
from .window_attention import WindowAttention

__all__ = ['Attention', 'Block', 'Mlp', 'PatchEmbed', 'WindowAttention', 'resize_pos_embed']
__all__ += ['EMAVectorQuantizer', 'MixerBlock', 'mixer_stack']
