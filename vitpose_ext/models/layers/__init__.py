from .attention import ViTAttention
from .block import Block, TokenContext
from .ema_quantizer import EMAVectorQuantizer
from .mixer import MixerBlock, mixer_stack
from .mlp import ViTMlp
from .moe_mlp import ViTMoEMlp
from .patch_embed import PatchEmbed, resize_pos_embed
from .window_attention import ViTWindowAttention, window_partition, window_unpartition

__all__ = ['Block', 'EMAVectorQuantizer', 'MixerBlock', 'PatchEmbed', 'ViTAttention', 'ViTMlp',
           'TokenContext', 'ViTMoEMlp', 'ViTWindowAttention', 'mixer_stack', 'resize_pos_embed',
           'window_partition', 'window_unpartition']
