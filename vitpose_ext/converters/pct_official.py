"""Import the official PCT release (Geng et al., "Human Pose as Compositional Tokens",
github.com/Gengzigang/PCT, an mmpose 0.x ``PCT`` model) into vitpose_ext's layout.

Source keys, by checkpoint:

* stage 1, the tokenizer: ``keypoint_head.tokenizer.*`` (+ ``extra_backbone.*``, the frozen
  backbone whose features guide the encoder, in the image-guided models) -> the state dict of a
  ``PCTTokenizerEstimator``: ``tokenizer.*`` (+ ``guide_backbone.*``);
* stage 2, the classifier: ``backbone.*``, ``keypoint_head.{conv_trans, conv_head, mixer_trans,
  mixer_head, mixer_norm_layer, cls_pred_layer}.*`` and ``keypoint_head.tokenizer.*`` (+
  ``extra_backbone.*``) -> a ``FrozenBackbonePoseEstimator`` with a ``PCTHead``: ``backbone.*``,
  ``head.*``, ``head.tokenizer.*``. ``extra_backbone.*`` is dropped: at test time the release
  does not use it, and our head takes the tokenizer's guidance from ``backbone`` (in the release both are the
  same frozen heatmap backbone).

Besides renames, three tensors change so that the converted model computes the same function:

* the head's first Linear after the flatten (``mixer_trans.ff.0`` -> ``to_tokens.0``): the
  release flattens the (B, C, H, W) features position-major, ``flatten(2).transpose(2, 1)
  .flatten(1)``: (B, H*W*C), input index ``p * C + c``; ``PCTHead`` flattens channel-major,
  ``flatten(1)``: (B, C*H*W), index ``c * H*W + p`` (p = h * W + w). Its weight's columns are
  reordered accordingly (:func:`position_major_to_channel_major`).
* the tokenizer's coordinates: the release's joints are pixels of the W x H input crop, ours
  are in [0, 1] (MMPose's ``RegressionLabel``): the columns of ``start_embed.weight``
  (x, y) are multiplied by (W, H), the rows and the bias of ``recover_embed`` divided by them.
  The release's configs all use 256 x 256 crops (``input_size``).
* the backbone: the release's ``SwinV2TransformerRPE2FC`` (Swin V2: cosine attention, post-norm,
  log-spaced continuous position bias MLP) maps onto mmpretrain's ``SwinTransformerV2`` built
  with :func:`release_swin_v2` (NOT MMPose's / mmpretrain's Swin V1 ``SwinTransformer``: no
  renaming makes V2 weights compute the same function there). Its stage i's patch merging is
  our stage i + 1's, and the merging reduction's columns are reordered: the release concatenates
  the 2 x 2 neighbours (row, col) = (0, 0), (1, 0), (0, 1), (1, 1), then the channels, i.e.
  (4 * C) index ``(col * 2 + row) * C + c``; mmpretrain's ``nn.Unfold``, channel-major,
  ``c * 4 + row * 2 + col``. The buffers ``relative_coords_table`` / ``relative_position_index``
  are dropped: mmpretrain computes them from the config (and deletes them when loading).

Not convertible (behaviour, not weights): the release samples the guiding features at the
nearest cell (``round(x / stride)``), ``PCTTokenizer`` bilinearly at cell centres; the release
stores the Laplace-smoothed EMA cluster sizes as ``ema_cluster_size`` (-> ``ema_count``, which
our quantiser keeps unsmoothed): the same codebook, slightly different EMA updates if a converted
tokenizer is trained further.
"""
import re
from typing import Callable, List, Optional, Sequence, Tuple, Union

import torch

from ..utils.checkpoint import unwrap

Rule = Tuple[str, Union[str, None, Callable[[re.Match], str]]]

# MixerLayer (release) -> MixerBlock (ours); the release's MLPBlock is Sequential(Linear, GELU,
# Dropout, Linear, Dropout): Linear indices 0 and 3
MIXER = {'layernorm1': 'norm1', 'layernorm2': 'norm2',
         'MLP_token.ff.0': 'token_mlp.fc1', 'MLP_token.ff.3': 'token_mlp.fc2',
         'MLP_channel.ff.0': 'channel_mlp.fc1', 'MLP_channel.ff.3': 'channel_mlp.fc2'}
MIXER_RE = r'(%s)\.(weight|bias)' % '|'.join(re.escape(k) for k in MIXER)

# relative to ``keypoint_head.tokenizer.`` (PCT_Tokenizer -> PCTTokenizer)
TOKENIZER_RULES: List[Rule] = [
    (r'invisible_token', 'mask_token'),
    (r'start_embed\.(weight|bias)', r'joint_embed.\1'),
    (r'start_img_embed\.(weight|bias)', r'guide_embed.\1'),
    (r'(encoder|decoder)\.(\d+)\.' + MIXER_RE, lambda m: f'{m[1]}.{m[2]}.{MIXER[m[3]]}.{m[4]}'),
    (r'encoder_layer_norm\.(weight|bias)', r'encoder_norm.\1'),
    (r'token_mlp\.(weight|bias)', r'encoder_to_tokens.\1'),
    (r'feature_embed\.(weight|bias)', r'encoder_proj.\1'),
    (r'codebook', 'quantizer.codebook'),
    (r'ema_cluster_size', 'quantizer.ema_count'),
    (r'ema_w', 'quantizer.ema_sum'),
    (r'decoder_token_mlp\.(weight|bias)', r'decoder_to_joints.\1'),
    (r'decoder_start\.(weight|bias)', r'decoder_proj.\1'),
    (r'decoder_layer_norm\.(weight|bias)', r'decoder_norm.\1'),
    (r'recover_embed\.(weight|bias)', r'decoder_head.\1'),
]

BN = r'(?:weight|bias|running_mean|running_var|num_batches_tracked)'
# relative to ``keypoint_head.`` (PCT_Head's classifier -> PCTHead)
HEAD_RULES: List[Rule] = [
    (r'conv_trans\.0\.weight', 'convs.0.conv.weight'),
    (rf'conv_trans\.1\.({BN})', r'convs.0.bn.\1'),
    (rf'conv_head\.0\.(\d+)\.(conv[12]\.weight|bn[12]\.{BN})',
     lambda m: f'convs.{int(m[1]) + 1}.{m[2]}'),
    (r'mixer_trans\.ff\.([01])\.(weight|bias)', r'to_tokens.\1.\2'),
    (r'mixer_head\.(\d+)\.' + MIXER_RE, lambda m: f'mixer.{m[1]}.{MIXER[m[2]]}.{m[3]}'),
    (r'mixer_norm_layer\.ff\.([01])\.(weight|bias)', r'mixer_out.\1.\2'),
    (r'cls_pred_layer\.(weight|bias)', r'classifier.\1'),
]

BLOCK = r'layers\.(\d+)\.blocks\.(\d+)\.'
# relative to ``backbone.`` / ``extra_backbone.`` (SwinV2TransformerRPE2FC -> SwinTransformerV2)
SWIN_RULES: List[Rule] = [
    (r'patch_embed\.proj\.(weight|bias)', r'patch_embed.projection.\1'),
    (r'patch_embed\.norm\.(weight|bias)', r'patch_embed.norm.\1'),
    (BLOCK + r'attn\.(qkv\.weight|q_bias|v_bias|logit_scale|proj\.weight|proj\.bias)',
     r'stages.\1.blocks.\2.attn.w_msa.\3'),
    (BLOCK + r'attn\.rpe_mlp\.(0\.weight|0\.bias|2\.weight)',
     r'stages.\1.blocks.\2.attn.w_msa.cpb_mlp.\3'),
    (BLOCK + r'attn\.(relative_coords_table|relative_position_index)', None),
    (BLOCK + r'(norm[12]\.(?:weight|bias))', r'stages.\1.blocks.\2.\3'),
    (BLOCK + r'mlp\.fc1\.(weight|bias)', r'stages.\1.blocks.\2.ffn.layers.0.0.\3'),
    (BLOCK + r'mlp\.fc2\.(weight|bias)', r'stages.\1.blocks.\2.ffn.layers.1.\3'),
    (r'layers\.(\d+)\.downsample\.(reduction\.weight|norm\.weight|norm\.bias)',
     lambda m: f'stages.{int(m[1]) + 1}.downsample.{m[2]}'),
    (r'(norm\d+)\.(weight|bias)', r'\1.\2'),
]

# the release's three sizes (configs/pct_{base,large,huge}_*.py)
RELEASE_ARCHS = {
    'base': dict(embed_dims=128, depths=[2, 2, 18, 2], num_heads=[4, 8, 16, 32]),
    'large': dict(embed_dims=192, depths=[2, 2, 18, 2], num_heads=[6, 12, 24, 48]),
    'huge': dict(embed_dims=256, depths=[2, 2, 42, 2], num_heads=[8, 16, 32, 64]),
}


def release_swin_v2(arch: Union[str, dict] = 'base', img_size: int = 256,
                    window_size: Sequence[int] = (16, 16, 16, 8),
                    pretrained_window_sizes: Sequence[int] = (12, 12, 12, 6),
                    use_shift: Sequence[bool] = (True, True, False, False), **kwargs) -> dict:
    """The ``mmpretrain.SwinTransformerV2`` config that computes what the release's
    ``SwinV2TransformerRPE2FC`` computes with its configs' settings: LayerNorm eps 1e-6
    everywhere, post-norm patch merging, no shifted windows in the stages where ``use_shift`` is
    False, continuous position bias scaled by ``pretrained_window_sizes``, output (B, 8 C, H/32,
    W/32) of the last stage.

    Args:
        arch: 'base', 'large', 'huge' (the release's; mmpretrain's own 'large' and 'huge' differ)
            or a dict with ``embed_dims``, ``depths``, ``num_heads``.
        img_size, window_size, pretrained_window_sizes, use_shift: as the release's configs.
        kwargs: further ``SwinTransformerV2`` arguments (``init_cfg``, ``drop_path_rate``...).
    """
    arch = dict(RELEASE_ARCHS[arch] if isinstance(arch, str) else arch,
                extra_norm_every_n_blocks=0)
    norm = dict(type='LN', eps=1e-6)
    stage_cfgs = []
    for shift in use_shift:
        block_cfgs = dict(norm_cfg=norm) if shift else dict(norm_cfg=norm, shift=False)
        stage_cfgs.append(dict(block_cfgs=block_cfgs,
                               downsample_cfg=dict(use_post_norm=True, norm_cfg=norm)))
    return dict(type='mmpretrain.SwinTransformerV2', arch=arch, img_size=img_size,
                window_size=list(window_size),
                pretrained_window_sizes=list(pretrained_window_sizes),
                out_indices=(len(arch['depths']) - 1, ), norm_cfg=norm,
                patch_cfg=dict(norm_cfg=norm), stage_cfgs=stage_cfgs, **kwargs)


def position_major_to_channel_major(weight: torch.Tensor, channels: int) -> torch.Tensor:
    """Reorder the columns of a Linear weight (O, P * C) that reads features flattened
    position-major (index p * C + c) into (O, C * P) that reads them channel-major
    (index c * P + p)."""
    out_dim, in_dim = weight.shape
    if in_dim % channels:
        raise ValueError(f'convert_official_pct: a Linear with {in_dim} inputs can not read '
                         f'{channels}-channel features')
    return weight.reshape(out_dim, in_dim // channels, channels).transpose(1, 2).reshape(
        out_dim, in_dim)


def concat_to_unfold_order(weight: torch.Tensor) -> torch.Tensor:
    """Reorder the columns of a patch-merging reduction (O, 4 C): the release's order
    (col * 2 + row) * C + c -> ``nn.Unfold``'s c * 4 + row * 2 + col."""
    out_dim, in_dim = weight.shape
    # (O, col, row, C) -> (O, C, row, col)
    return weight.reshape(out_dim, 2, 2, in_dim // 4).permute(0, 3, 2, 1).reshape(out_dim, in_dim)


def _rename(key: str, rules: List[Rule]) -> Tuple[bool, Optional[str]]:
    """(matched, new key or None to drop) for the first rule whose pattern matches all of key."""
    for pattern, repl in rules:
        m = re.fullmatch(pattern, key)
        if m:
            if repl is None:
                return True, None
            return True, repl(m) if callable(repl) else m.expand(repl)
    return False, None


def convert_official_pct(checkpoint: dict, input_size: Tuple[int, int] = (256, 256)) -> dict:
    """Return the state dict of a ``PCTTokenizerEstimator`` (from a tokenizer checkpoint) or of
    a ``FrozenBackbonePoseEstimator`` + ``PCTHead`` (from a classifier checkpoint): see the
    module's docstring.

    Args:
        checkpoint: a release checkpoint's content, or its state dict.
        input_size: (W, H) of the input crops the release model was trained on (its
            ``data_cfg.image_size``).

    Raises:
        ValueError: naming the keys that are not in the release's layout (or, in a tokenizer
            checkpoint, ``backbone.*``).
    """
    sd = unwrap(checkpoint)
    classifier = any(k.startswith('keypoint_head.') and not k.startswith('keypoint_head.tokenizer.')
                     for k in sd)
    parts = [  # (release prefix, our prefix or None to drop, rules), the first match applies
        ('keypoint_head.tokenizer.', 'head.tokenizer.' if classifier else 'tokenizer.',
         TOKENIZER_RULES),
        ('keypoint_head.', 'head.', HEAD_RULES),
        ('extra_backbone.', None if classifier else 'guide_backbone.', SWIN_RULES),
    ]
    if classifier:
        parts.append(('backbone.', 'backbone.', SWIN_RULES))

    out, unknown = {}, []
    for key, value in sd.items():
        part = next((p for p in parts if key.startswith(p[0])), None)
        matched, new = (False, None) if part is None else _rename(key[len(part[0]):], part[2])
        if not matched:
            unknown.append(key)
        elif new is not None and part[1] is not None:
            out[part[1] + new] = value
    if unknown:
        kind = 'classifier' if classifier else 'tokenizer'
        raise ValueError(f'convert_official_pct: {len(unknown)} key(s) not in the PCT release\'s '
                         f'{kind} checkpoint layout: {", ".join(sorted(unknown))}')

    for key in [k for k in out if k.endswith('downsample.reduction.weight')]:
        out[key] = concat_to_unfold_order(out[key])
    if 'head.to_tokens.0.weight' in out:
        out['head.to_tokens.0.weight'] = position_major_to_channel_major(
            out['head.to_tokens.0.weight'], out['head.convs.0.conv.weight'].shape[0])
    tok = 'head.tokenizer.' if classifier else 'tokenizer.'
    if tok + 'joint_embed.weight' in out:
        w = out[tok + 'joint_embed.weight']
        out[tok + 'joint_embed.weight'] = w * w.new_tensor(input_size)  # columns x, y
    if tok + 'decoder_head.weight' in out:
        size = out[tok + 'decoder_head.weight'].new_tensor(input_size)
        out[tok + 'decoder_head.weight'] = out[tok + 'decoder_head.weight'] / size[:, None]
        out[tok + 'decoder_head.bias'] = out[tok + 'decoder_head.bias'] / size
    return out
