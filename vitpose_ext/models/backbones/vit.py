"""ViTPose's encoder: a plain, non-hierarchical ViT with every flexibility of the paper."""
import torch
import torch.utils.checkpoint as cp
from mmengine.logging import MMLogger
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from torch import nn

from ...registry import MODELS
from ..layers.block import Block, TokenContext
from ..layers.patch_embed import PatchEmbed, infer_grid, resize_pos_embed

# Other implementations' key layouts that load into this one through ``load_state_dict`` and
# ``init_cfg`` (e.g. an mmpretrain MAE checkpoint): (name, detect(keys, prefix), convert(state
# dict, prefix)), added by vitpose_ext.converters, so that the model imports no converter.
KEY_LAYOUTS = []

# embed_dims, num_layers, num_heads, mlp_ratio (ViTPose's S/B/L/H; G as in the reference)
ARCHS = {
    'small': dict(embed_dims=384, num_layers=12, num_heads=12, mlp_ratio=4.0),
    'base': dict(embed_dims=768, num_layers=12, num_heads=12, mlp_ratio=4.0),
    'large': dict(embed_dims=1024, num_layers=24, num_heads=16, mlp_ratio=4.0),
    'huge': dict(embed_dims=1280, num_layers=32, num_heads=16, mlp_ratio=4.0),
    'giant': dict(embed_dims=1408, num_layers=40, num_heads=16, mlp_ratio=48 / 11),
}
ARCHS.update({k[0]: v for k, v in list(ARCHS.items())})
ATTN_TYPES = ('full', 'window', 'shifted_window', 'pooling_window', 'shifted_pooling_window')
OUT_TYPES = ('featmap', 'extra_tokens')
WEIGHT_INITS = ('trunc_normal', 'xavier', 'mmpretrain')


def resolve_arch(arch, name='ViTPoseBackbone'):
    """An arch name ('small'... or 's'...) or dict -> the dict, checked; errors name ``name``."""
    if isinstance(arch, str):
        if arch.lower() not in ARCHS:
            raise ValueError(f'{name}: unknown arch {arch!r}; choose from {sorted(ARCHS)}')
        return ARCHS[arch.lower()]
    unknown = set(arch) - {'embed_dims', 'num_layers', 'num_heads', 'mlp_ratio'}
    if unknown:
        raise ValueError(f'{name}: unknown arch keys {sorted(unknown)}; an arch dict takes '
                         "embed_dims, num_layers, num_heads and mlp_ratio (the FFN width is "
                         "mlp_ratio * embed_dims)")
    missing = {'embed_dims', 'num_layers', 'num_heads'} - set(arch)
    if missing:
        raise ValueError(f'{name}: arch dict lacks {sorted(missing)}')
    return arch


def global_block_ids(global_blocks, depth):
    """The blocks with full attention in a windowed model: ``global_blocks`` as a list of
    indices, or k for every k-th block (k - 1, 2k - 1, ...); 0: none."""
    if isinstance(global_blocks, int):
        k = global_blocks
        return [i for i in range(depth) if k and i % k == k - 1]
    return list(global_blocks)


def block_attention(i, attn_type, is_global, window_size, pool_size, **common):
    """Block ``i``'s attention config: full attention for 'full' and global blocks; otherwise
    windows, shifted by half a window in odd blocks for 'shifted_*', with keys / values pooled
    to ``pool_size`` added for '*pooling*'. ``common``: the arguments of both attentions."""
    if attn_type == 'full' or is_global:
        return dict(type='ViTAttention', **common)
    return dict(type='ViTWindowAttention', window_size=window_size,
                shift=attn_type.startswith('shifted') and i % 2 == 1,
                pool_size=pool_size if 'pooling' in attn_type else None, **common)



@MODELS.register_module()
class ViTPoseBackbone(BaseModule):
    """Plain ViT encoder of ViTPose.

    Args:
        arch (str | dict): 'small' / 'base' / 'large' / 'huge' / 'giant' (or 's'...'g'), or a dict
            with ``embed_dims``, ``num_layers``, ``num_heads`` and ``mlp_ratio``.
        img_size (tuple[int, int]): (H, W) the position embedding is made for; other input sizes
            interpolate it on the fly.
        patch_size, patch_stride, patch_padding: patch embedding; a stride below the patch size
            gives a finer feature map.
        qkv_bias (bool), drop_rate (float), attn_drop_rate (float), drop_path_rate (float):
            stochastic depth rises linearly from 0 to ``drop_path_rate`` over the blocks.
        norm_eps (float): LayerNorm epsilon (ViTPose and mmpretrain's ViT: 1e-6).
        attn_type (str): one of ``ATTN_TYPES``. 'shifted_*' shifts every other block by half a
            window; 'pooling_*' adds keys/values pooled to ``pool_size`` to every window.
        window_size (tuple[int, int]): window (H, W) in tokens for the windowed types.
        pool_size (tuple[int, int]): pooled grid of the pooling types.
        global_blocks (int | Sequence[int]): blocks that use full attention in a windowed model:
            a list of indices, or k for every k-th block (k-1, 2k-1, ...). 0: none.
        ffn_cfg (dict): FFN of every block (default ``dict(type='ViTMlp')``).
        block_cfgs (list[dict] | None): per-block overrides ``dict(attn_cfg=..., ffn_cfg=...)``
            merged into the computed ones; how later features plug in (MoE FFN...).
        num_extra_tokens (int): learnable tokens appended after the patch tokens (removed again
            before the feature map is formed). ``forward(x, extra_tokens=...)`` appends more.
        out_indices (int | Sequence[int]): blocks whose outputs are returned.
        out_type (str): what each returned output is: 'featmap' (B, C, H, W) of the patch
            tokens, or 'extra_tokens' (B, E, C), the extra tokens (e.g. keypoint tokens for a
            token head).
        final_norm (bool): LayerNorm after the last block.
        use_sdpa (bool): ``F.scaled_dot_product_attention`` (True) or the explicit path.
        with_cp (bool): gradient checkpointing of every block during training.
        freeze_attn (bool): freeze every block's MHSA and the norm before it.
        freeze_ffn (bool): freeze every block's FFN and the norm before it.
        frozen_stages (int): -1 none; 0 patch + position embedding; n > 0 also blocks 0..n-1
            (and the final norm when n = num_layers).
        weight_init (str): random initialisation before ``init_cfg``:

            * 'trunc_normal' (timm and the ViTPose release): linear layers truncated normal
              0.02, meant for fine-tuning pre-trained weights;
            * 'xavier': Xavier-uniform linear layers, Kaiming-normal fan-in patch embedding;
            * 'mmpretrain': exactly mmpretrain's ``VisionTransformer`` (as MMPose's ViTPose
              configs build it): Xavier-uniform FFN layers with normal(1e-6) biases; attention
              layers and the patch embedding keep PyTorch's default initialisation from
              construction. Given the same seed, the same weights as that model (tested).

            Unit norms and a truncated normal 0.02 position embedding in all; zero biases in
            the first two. Which trains best from scratch:
            projects/vit_init/README.md.
    """

    def __init__(self, arch='base', img_size=(256, 192), patch_size=16, patch_stride=None,
                 patch_padding=2, in_channels=3, qkv_bias=True, drop_rate=0.0,
                 attn_drop_rate=0.0, drop_path_rate=0.0, norm_eps=1e-6, attn_type='full',
                 window_size=(8, 8), pool_size=(4, 4), global_blocks=0, ffn_cfg=None,
                 block_cfgs=None, num_extra_tokens=0, out_indices=-1, out_type='featmap',
                 final_norm=True, use_sdpa=True, with_cp=False, freeze_attn=False, freeze_ffn=False,
                 frozen_stages=-1, weight_init='trunc_normal', init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        name = type(self).__name__
        if weight_init not in WEIGHT_INITS:
            raise ValueError(f'{name}: weight_init must be one of {WEIGHT_INITS}, got '
                             f'{weight_init!r}')
        self.weight_init = weight_init
        arch = resolve_arch(arch, name)
        if attn_type not in ATTN_TYPES:
            raise ValueError(f'{name}: attn_type {attn_type!r} not in {ATTN_TYPES}')
        if out_type not in OUT_TYPES:
            raise ValueError(f'{name}: out_type {out_type!r} not in {OUT_TYPES}')
        dim, depth = arch['embed_dims'], arch['num_layers']
        self.embed_dims, self.num_layers = dim, depth
        self.img_size = tuple(img_size)

        self.patch_embed = PatchEmbed(in_channels, dim, patch_size, patch_stride, patch_padding)
        self.grid_size = self.patch_embed.grid_size(self.img_size)
        self.pos_embed = nn.Parameter(torch.zeros(1, self.grid_size[0] * self.grid_size[1], dim))
        self.extra_tokens = (nn.Parameter(torch.zeros(1, num_extra_tokens, dim))
                             if num_extra_tokens else None)
        self.pos_drop = nn.Dropout(drop_rate)

        block_cfgs = block_cfgs or [{}] * depth
        if len(block_cfgs) != depth:
            raise ValueError(f'{name}: {len(block_cfgs)} block_cfgs for {depth} blocks')
        unknown = {k for c in block_cfgs for k in c} - {'attn_cfg', 'ffn_cfg'}
        if unknown:
            raise ValueError(f'{name}: block_cfgs keys must be attn_cfg / ffn_cfg, '
                             f'got {sorted(unknown)}')
        common = dict(num_heads=arch['num_heads'], qkv_bias=qkv_bias, attn_drop=attn_drop_rate,
                      proj_drop=drop_rate, use_sdpa=use_sdpa)
        ffn_cfg = dict(dict(mlp_ratio=arch.get('mlp_ratio', 4.0), drop=drop_rate),
                       **(ffn_cfg or dict(type='ViTMlp')))
        global_ids = global_block_ids(global_blocks, depth)
        dpr = torch.linspace(0, drop_path_rate, depth).tolist()
        self.blocks = nn.ModuleList()
        for i in range(depth):
            cfg = dict(attn_cfg=block_attention(i, attn_type, i in global_ids, window_size,
                                                pool_size, **common),
                       ffn_cfg=ffn_cfg)
            for key, override in block_cfgs[i].items():
                cfg[key] = dict(cfg[key], **override)
            self.blocks.append(Block(dim, cfg['attn_cfg'], cfg['ffn_cfg'], dpr[i], norm_eps))
        self.norm = nn.LayerNorm(dim, eps=norm_eps) if final_norm else nn.Identity()

        out_indices = [out_indices] if isinstance(out_indices, int) else list(out_indices)
        self.out_indices = sorted(i % depth for i in out_indices)
        self.out_type = out_type
        self.with_cp = with_cp
        self.freeze_attn, self.freeze_ffn, self.frozen_stages = (freeze_attn, freeze_ffn,
                                                                 frozen_stages)
        self._freeze()
        self._register_load_state_dict_pre_hook(self._adapt_state_dict)

    # ------------------------------------------------------------------ freezing
    def frozen_modules(self):
        """The modules that ``freeze_attn`` / ``freeze_ffn`` / ``frozen_stages`` freeze."""
        mods = []
        if self.frozen_stages >= 0:
            mods.append(self.patch_embed)
            mods.extend(self.blocks[:self.frozen_stages])
            if self.frozen_stages >= self.num_layers:
                mods.append(self.norm)
        for blk in self.blocks:
            if self.freeze_attn:
                mods += [blk.norm1, blk.attn]
            if self.freeze_ffn:
                mods += [blk.norm2, blk.mlp]
        return mods

    def _freeze(self):
        if self.frozen_stages >= 0:
            self.pos_embed.requires_grad_(False)
        for mod in self.frozen_modules():
            mod.requires_grad_(False)

    def train(self, mode=True):
        super().train(mode)
        for mod in self.frozen_modules():  # frozen parts keep dropout / drop-path off
            mod.eval()
        return self

    # ------------------------------------------------------------------ weights
    def init_weights(self):
        """Random initialisation as ``weight_init`` says, then ``init_cfg`` (e.g.
        ``dict(type='Pretrained', checkpoint=...)``) on top."""
        if self.weight_init == 'mmpretrain':
            self._init_mmpretrain()
        else:
            self._init_own()
        super().init_weights()

    def _init_own(self):
        """'trunc_normal' and 'xavier' (in this order of random draws, so that a seed gives the
        weights it always gave)."""
        trunc_normal_(self.pos_embed, std=0.02)
        if self.extra_tokens is not None:
            trunc_normal_(self.extra_tokens, std=0.02)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                if self.weight_init == 'xavier':
                    nn.init.xavier_uniform_(m.weight)
                else:
                    trunc_normal_(m.weight, std=0.02)
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Conv2d) and self.weight_init == 'xavier':
                nn.init.kaiming_normal_(m.weight, mode='fan_in', nonlinearity='linear')
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def _init_mmpretrain(self):
        """mmpretrain's ``VisionTransformer.init_weights``: each block's FFN linear layers
        Xavier-uniform with normal(1e-6) biases, then the truncated normal positions; the patch
        embedding, attention and norms keep their construction-time initialisation, drawn in the
        same order as mmpretrain's."""
        for blk in self.blocks:
            for m in blk.mlp.modules():
                if isinstance(m, nn.Linear):
                    nn.init.xavier_uniform_(m.weight)
                    nn.init.normal_(m.bias, std=1e-6)
        trunc_normal_(self.pos_embed, std=0.02)
        if self.extra_tokens is not None:
            trunc_normal_(self.extra_tokens, std=0.02)

    def _adapt_state_dict(self, state_dict, prefix, *args, **kwargs):
        """Accept other layouts when loading (``load_state_dict``, ``init_cfg`` Pretrained):

        * keys of a layout in ``KEY_LAYOUTS`` (mmpretrain ``VisionTransformer`` / ``MAEViT``,
          e.g. an MAE pre-training checkpoint) are converted to this layout;
        * a class-token position (length grid + 1) is folded into the patch positions, as the
          ViTPose release does;
        * a position embedding made for another grid is interpolated to this one.
        """
        logger = MMLogger.get_current_instance()
        own = [k for k in state_dict if k.startswith(prefix)]
        for name, detect, convert in KEY_LAYOUTS:
            if detect(own, prefix):
                logger.info(f'{type(self).__name__}: converting {name} keys to this layout')
                state_dict.update(convert({k: state_dict.pop(k) for k in own}, prefix))
                break
        key = prefix + 'pos_embed'
        if key not in state_dict:
            return
        pos = state_dict[key]
        num = self.grid_size[0] * self.grid_size[1]
        dims = self.pos_embed.shape[-1]
        if pos.ndim != 3 or pos.shape[0] != 1 or pos.shape[1] < 1:
            raise ValueError(f'{type(self).__name__}: {key} has shape {tuple(pos.shape)}; '
                             f'expected (1, tokens, {dims}) (a grid of tokens, optionally '
                             'with a class-token position first)')
        if pos.shape[2] != dims:
            return  # another width: loading reports the size mismatch
        if pos.shape[1] == num + 1:
            pos = pos[:, 1:] + pos[:, :1]
        if pos.shape[1] != num:
            src = infer_grid(pos.shape[1], self.grid_size)
            logger.info(
                f'{type(self).__name__}: resizing pos_embed from grid {src} to {self.grid_size}')
            pos = resize_pos_embed(pos, src, self.grid_size)
        state_dict[key] = pos

    def no_weight_decay(self):
        """Names of the parameters that take no weight decay besides norms and biases (timm's
        ``no_weight_decay``): the position embedding and the extra tokens."""
        return {'pos_embed', 'extra_tokens'}

    def layer_id(self, name):
        """Depth of a parameter for layer-wise lr decay: embeddings 0, block i -> i + 1, the
        rest (final norm) num_layers + 1. ``name`` is relative to this module."""
        if name.startswith(('patch_embed', 'pos_embed', 'extra_tokens')):
            return 0
        if name.startswith('blocks.'):
            return int(name.split('.')[1]) + 1
        return self.num_layers + 1

    # ------------------------------------------------------------------ forward
    def forward_tokens(self, x, extra_tokens=None, dataset_idx=None):
        """Run the encoder. Returns (list of (B, H*W + E, C) token tensors for ``out_indices``,
        the grid (H, W), E the number of extra tokens). ``dataset_idx`` (B,) reaches every FFN
        through the blocks' :class:`TokenContext` (``ViTMoEMlp`` routes by it, ``ViTMlp``
        ignores it)."""
        B = x.shape[0]
        x, hw = self.patch_embed(x)
        x = x + resize_pos_embed(self.pos_embed, self.grid_size, hw)
        extras = [] if self.extra_tokens is None else [self.extra_tokens.expand(B, -1, -1)]
        if extra_tokens is not None:
            extras.append(extra_tokens.expand(B, -1, -1))
        ctx = TokenContext(hw, sum(t.shape[1] for t in extras), dataset_idx)
        x = self.pos_drop(torch.cat([x, *extras], dim=1) if extras else x)
        outs = []
        for i, blk in enumerate(self.blocks):
            if self.with_cp and self.training and x.requires_grad:
                x = cp.checkpoint(blk, x, ctx, use_reentrant=False)
            else:
                x = blk(x, ctx)
            if i == self.num_layers - 1:
                x = self.norm(x)
            if i in self.out_indices:
                outs.append(x)
        return outs, hw, ctx.num_extra

    def forward_maps_and_tokens(self, x, extra_tokens=None, dataset_idx=None):
        """Feature maps and extra tokens of every out index in one pass: a tuple of (B, C,
        H / stride, W / stride) maps of the patch tokens and a tuple of the (B, E, C) extra
        tokens (E = 0 without any).

        ``extra_tokens`` (1 or B, E, C) are appended after the patch tokens (after the
        backbone's own ``num_extra_tokens``); ``dataset_idx`` (B,) reaches every FFN
        (ViTPose++)."""
        outs, (h, w), _ = self.forward_tokens(x, extra_tokens, dataset_idx)
        maps = tuple(o[:, :h * w].transpose(1, 2).reshape(o.shape[0], -1, h, w) for o in outs)
        return maps, tuple(o[:, h * w:] for o in outs)

    def forward(self, x, extra_tokens=None, dataset_idx=None):
        """(B, 3, H, W) -> tuple of feature maps, one per out index, or with
        ``out_type='extra_tokens'`` of the extra tokens (see ``forward_maps_and_tokens``)."""
        maps, tokens = self.forward_maps_and_tokens(x, extra_tokens, dataset_idx)
        if self.out_type == 'featmap':
            return maps
        if not tokens[-1].shape[1]:
            raise ValueError(f"{type(self).__name__}: out_type='extra_tokens' needs "
                             'num_extra_tokens > 0 or extra_tokens passed to forward')
        return tokens
