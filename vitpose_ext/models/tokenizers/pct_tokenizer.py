"""PCT's pose tokenizer: K joints -> M discrete tokens (a learnt codebook) -> K joints."""
import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from torch import nn

from ...registry import MODELS
from ..layers.ema_quantizer import EMAVectorQuantizer
from ..layers.mixer import mixer_stack

ENCODER = dict(num_blocks=4, hidden_dim=512, token_hidden=64, channel_hidden=512, drop=0.0)
DECODER = dict(num_blocks=1, hidden_dim=32, token_hidden=64, channel_hidden=64, drop=0.0)


def joint_features(feat_map, joints):
    """Bilinearly sample a feature map (B, C, H, W) at joints (B, K, 2) normalised to the input
    crop ([0, 1], x then y); returns (B, K, C)."""
    grid = (joints * 2 - 1).unsqueeze(2).to(feat_map.dtype)  # (B, K, 1, 2) in [-1, 1]
    out = F.grid_sample(feat_map, grid, mode='bilinear', align_corners=False)
    return out.squeeze(-1).transpose(1, 2)


@MODELS.register_module()
class PCTTokenizer(BaseModule):
    """The pose tokenizer of PCT (stage 1), a VQ-VAE over joint coordinates.

    * encoder: joints (B, K, 2) in [0, 1] of the input crop -> Linear (concatenated with a
      Linear of image features at the joints when ``guide_channels`` > 0) -> joints that are
      invisible, or randomly masked (``mask_ratio``, training only), replaced by a learnt token
      -> MixerBlocks over the K joints -> LayerNorm -> Linear K -> M over the joint axis ->
      Linear to ``token_dim``: M token features (B, M, D);
    * quantiser: each token feature -> its nearest entry of a V-entry EMA codebook
      (:class:`EMAVectorQuantizer`), straight-through gradients;
    * decoder: (B, M, D) -> Linear M -> K over the token axis -> Linear D -> hidden ->
      MixerBlocks over the K joints -> LayerNorm -> Linear -> joints (B, K, 2).

    Args:
        num_keypoints (int): K.
        num_tokens (int): M (PCT: 34).
        codebook_size (int): V (PCT: 2048).
        token_dim (int): D (PCT: 512).
        encoder (dict): ``num_blocks``, ``hidden_dim``, ``token_hidden``, ``channel_hidden``,
            ``drop`` of the encoder Mixer (PCT: 4, 512, 64, 512, 0).
        decoder (dict): the same for the decoder (PCT: 1, 32, 64, 64, 0).
        mask_ratio (float): probability that a visible joint is masked in training (PCT: 0.2).
        guide_channels (int): channels of the image features that guide the encoder; 0: none.
        guide_ratio (float): share of the encoder's input width given to the image features.
        ema_decay (float): codebook EMA decay (PCT: 0.9).
        dead_code_threshold (float): see :class:`EMAVectorQuantizer` ``dead_threshold``.
    """

    def __init__(self, num_keypoints=17, num_tokens=34, codebook_size=2048, token_dim=512,
                 encoder=None, decoder=None, mask_ratio=0.2, guide_channels=0, guide_ratio=0.5,
                 ema_decay=0.9, dead_code_threshold=1e-2, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        name = type(self).__name__
        enc, dec = dict(ENCODER, **(encoder or {})), dict(DECODER, **(decoder or {}))
        for part, cfg, default in (('encoder', enc, ENCODER), ('decoder', dec, DECODER)):
            if set(cfg) != set(default):
                raise ValueError(f'{name}: {part} keys must be {sorted(default)}, '
                                 f'got {sorted(cfg)}')
        if not 0.0 <= mask_ratio < 1.0:
            raise ValueError(f'{name}: mask_ratio must be in [0, 1), got {mask_ratio}')
        if guide_channels and not 0.0 < guide_ratio < 1.0:
            raise ValueError(f'{name}: guide_ratio must be in (0, 1), got {guide_ratio}')
        self.num_keypoints, self.num_tokens, self.token_dim = num_keypoints, num_tokens, token_dim
        self.mask_ratio, self.guide_channels = mask_ratio, guide_channels

        hidden = enc['hidden_dim']
        guide_dim = int(hidden * guide_ratio) if guide_channels else 0
        self.joint_embed = nn.Linear(2, hidden - guide_dim)
        self.guide_embed = nn.Linear(guide_channels, guide_dim) if guide_channels else None
        self.mask_token = nn.Parameter(torch.zeros(1, 1, hidden))
        self.encoder = mixer_stack(enc['num_blocks'], num_keypoints, hidden, enc['token_hidden'],
                                   enc['channel_hidden'], enc['drop'])
        self.encoder_norm = nn.LayerNorm(hidden)
        self.encoder_to_tokens = nn.Linear(num_keypoints, num_tokens)
        self.encoder_proj = nn.Linear(hidden, token_dim)

        self.quantizer = EMAVectorQuantizer(codebook_size, token_dim, ema_decay,
                                            dead_code_threshold)

        self.decoder_to_joints = nn.Linear(num_tokens, num_keypoints)
        self.decoder_proj = nn.Linear(token_dim, dec['hidden_dim'])
        self.decoder = mixer_stack(dec['num_blocks'], num_keypoints, dec['hidden_dim'],
                                   dec['token_hidden'], dec['channel_hidden'], dec['drop'])
        self.decoder_norm = nn.LayerNorm(dec['hidden_dim'])
        self.decoder_head = nn.Linear(dec['hidden_dim'], 2)

    def init_weights(self):
        super().init_weights()
        # as PCT's release: a normal of std 0.02 cut at +-0.02 (a cut at +-2, the function's
        # default, would leave the normal as it is)
        trunc_normal_(self.mask_token, std=0.02, a=-0.02, b=0.02)

    @property
    def codebook(self):
        """The (V, D) codebook."""
        return self.quantizer.codebook

    def encode(self, joints, weights, guide_feats=None):
        """Token features (B, M, D) before quantisation. ``joints`` (B, K, 2) in [0, 1] of the
        crop, ``weights`` (B, K) > 0 where a joint is visible, ``guide_feats`` (B, K, C)."""
        if (guide_feats is None) != (self.guide_embed is None):
            raise ValueError(f'{type(self).__name__}: guide_feats must be given exactly when '
                             f'guide_channels > 0 (here {self.guide_channels})')
        x = self.joint_embed(joints)
        if self.guide_embed is not None:
            x = torch.cat([x, self.guide_embed(guide_feats)], dim=-1)
        keep = weights > 0
        if self.training and self.mask_ratio > 0:
            keep = keep & (torch.rand_like(weights) >= self.mask_ratio)
        keep = keep.unsqueeze(-1).to(x.dtype)
        x = x * keep + self.mask_token.to(x.dtype) * (1 - keep)
        x = self.encoder_norm(self.encoder(x))
        x = self.encoder_to_tokens(x.transpose(1, 2)).transpose(1, 2)
        return self.encoder_proj(x)

    def decode(self, token_feats):
        """Joints (B, K, 2) in [0, 1] of the crop from token features (B, M, D)."""
        x = self.decoder_to_joints(token_feats.transpose(1, 2)).transpose(1, 2)
        x = self.decoder_norm(self.decoder(self.decoder_proj(x)))
        return self.decoder_head(x)

    def decode_ids(self, ids):
        """Joints (B, K, 2) from token ids (B, M)."""
        return self.decode(F.embedding(ids, self.codebook))

    @torch.no_grad()
    def tokenize(self, joints, weights, guide_feats=None):
        """Token ids (B, M) of poses, without gradients or a codebook update (joint masking and
        dropout act only in training mode; stage 2 keeps the tokenizer in eval mode)."""
        z = self.encode(joints, weights, guide_feats)
        return self.quantizer.nearest(z.flatten(0, 1)).view(z.shape[:2])

    def forward(self, joints, weights, guide_feats=None):
        """Encode, quantise (updating the codebook in training mode) and decode.

        Returns:
            dict: ``joints`` (B, K, 2) reconstruction, ``token_ids`` (B, M), ``loss_commit``
            (unweighted commitment loss) and ``stats`` (codebook statistics, training only).
        """
        z = self.encode(joints, weights, guide_feats)
        quantized, ids, loss_commit, stats = self.quantizer(z)
        return dict(joints=self.decode(quantized), token_ids=ids, loss_commit=loss_commit,
                    stats=stats)
