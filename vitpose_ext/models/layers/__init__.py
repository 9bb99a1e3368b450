from .attention import ViTAttention
from .block import Block, TokenContext
from .ema_quantizer import EMAVectorQuantizer
from .fp8_linear import Float8Linear, linear_to_fp8
from .mixer import MixerBlock, mixer_stack
from .mlp import ViTMlp
from .moe_mlp import ViTMoEMlp
from .patch_embed import PatchEmbed, resize_pos_embed
from .window_attention import ViTWindowAttention, window_partition, window_unpartition

__all__ = ['Block', 'EMAVectorQuantizer', 'Float8Linear', 'MixerBlock', 'PatchEmbed',
           'ViTAttention', 'ViTMlp', 'TokenContext', 'ViTMoEMlp', 'ViTWindowAttention',
           'linear_to_fp8', 'mixer_stack', 'resize_pos_embed', 'window_partition',
           'window_unpartition']
