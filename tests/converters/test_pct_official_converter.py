"""convert_official_pct: state dicts in the PCT release's layout (its key names and shapes, small
sizes) convert into models that load them and compute what the release computes. The references
below follow the release's equations: the tokenizer on pixel coordinates, the classifier head
flattening position-major, Swin V2 (cosine window attention, post-norm) with 2 x 2 neighbours
concatenated (0, 0), (1, 0), (0, 1), (1, 1)."""
import math

import pytest
import torch
import torch.nn.functional as F
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

import vitpose_ext  # noqa: F401
from vitpose_ext.converters import CONVERTERS, convert_official_pct, release_swin_v2

pytestmark = pytest.mark.numerics  # two paths: run in both regimes

K, M, V, D = 17, 6, 32, 16  # joints, tokens, codebook entries, token width
ENC = dict(num_blocks=2, hidden_dim=32, token_hidden=16, channel_hidden=24)
DEC = dict(num_blocks=1, hidden_dim=16, token_hidden=8, channel_hidden=12)
HEAD = dict(conv_channels=8, conv_num_blocks=2, num_blocks=2, hidden_dim=16, token_hidden=8,
            channel_hidden=12)
SWIN = dict(embed_dims=8, depths=[2, 2, 2, 2], num_heads=[2, 2, 4, 4])
WINDOWS, PRETRAIN_WINDOWS, SHIFTS = [4, 4, 2, 2], [3, 3, 2, 2], [True, True, False, False]
IMG = 64  # -> 16 x 16 patches, stages 16, 8, 4, 2: the last map (B, 64, 2, 2)
CROP = (64, 48)  # (W, H) of the tokenizer's crops (the release needs square; x, y differ here)
RPE_HIDDEN = 512  # the release's rpe_hidden_dim, mmpretrain's cpb_mlp_hidden_dims
EPS_SWIN = 1e-6  # the release's Swin LayerNorms


# ----------------------------------------------------------------- release-layout state dicts
def _randn(g, *shape, scale=0.3):
    return torch.randn(*shape, generator=g, dtype=torch.float64) * scale


def _linear(g, sd, name, i, o, bias=True):
    sd[f'{name}.weight'] = _randn(g, o, i, scale=1 / math.sqrt(i))
    if bias:
        sd[f'{name}.bias'] = _randn(g, o, scale=0.1)


def _norm(g, sd, name, n):
    sd[f'{name}.weight'] = 1 + _randn(g, n, scale=0.1)
    sd[f'{name}.bias'] = _randn(g, n, scale=0.1)


def _bn(g, sd, name, n):
    _norm(g, sd, name, n)
    sd[f'{name}.running_mean'] = _randn(g, n, scale=0.1)
    sd[f'{name}.running_var'] = 0.5 + torch.rand(n, generator=g, dtype=torch.float64)
    sd[f'{name}.num_batches_tracked'] = torch.tensor(7)


def _mixer(g, sd, name, tokens, dim, token_hidden, channel_hidden):
    """modules.MixerLayer: layernorm1, MLP_token.ff.{0,3}, layernorm2, MLP_channel.ff.{0,3}."""
    _norm(g, sd, f'{name}.layernorm1', dim)
    _linear(g, sd, f'{name}.MLP_token.ff.0', tokens, token_hidden)
    _linear(g, sd, f'{name}.MLP_token.ff.3', token_hidden, tokens)
    _norm(g, sd, f'{name}.layernorm2', dim)
    _linear(g, sd, f'{name}.MLP_channel.ff.0', dim, channel_hidden)
    _linear(g, sd, f'{name}.MLP_channel.ff.3', channel_hidden, dim)


def release_tokenizer(g, prefix, guide_channels=0, guide_ratio=0.5):
    """PCT_Tokenizer's parameters and buffers."""
    sd, h = {}, ENC['hidden_dim']
    sd[f'{prefix}invisible_token'] = _randn(g, 1, 1, h, scale=0.02)
    if guide_channels:
        _linear(g, sd, f'{prefix}start_img_embed', guide_channels, int(h * guide_ratio))
    # pixel inputs: small weights
    _linear(g, sd, f'{prefix}start_embed', 2, int(h * (1 - guide_ratio if guide_channels else 1)))
    sd[f'{prefix}start_embed.weight'] /= 30
    for i in range(ENC['num_blocks']):
        _mixer(g, sd, f'{prefix}encoder.{i}', K, h, ENC['token_hidden'], ENC['channel_hidden'])
    _norm(g, sd, f'{prefix}encoder_layer_norm', h)
    _linear(g, sd, f'{prefix}token_mlp', K, M)
    _linear(g, sd, f'{prefix}feature_embed', h, D)
    sd[f'{prefix}codebook'] = _randn(g, V, D, scale=1.0)
    sd[f'{prefix}ema_cluster_size'] = torch.rand(V, generator=g, dtype=torch.float64)
    sd[f'{prefix}ema_w'] = _randn(g, V, D, scale=1.0)
    _linear(g, sd, f'{prefix}decoder_token_mlp', M, K)
    _linear(g, sd, f'{prefix}decoder_start', D, DEC['hidden_dim'])
    for i in range(DEC['num_blocks']):
        _mixer(g, sd, f'{prefix}decoder.{i}', K, DEC['hidden_dim'], DEC['token_hidden'],
               DEC['channel_hidden'])
    _norm(g, sd, f'{prefix}decoder_layer_norm', DEC['hidden_dim'])
    _linear(g, sd, f'{prefix}recover_embed', DEC['hidden_dim'], 2)
    sd[f'{prefix}recover_embed.weight'] *= 30  # pixel outputs
    sd[f'{prefix}recover_embed.bias'] += 30
    return sd


def release_head(g, in_channels, feat_hw):
    """PCT_Head's classifier part (conv_trans, conv_head, mixer_*, cls_pred_layer)."""
    sd, c, hidden = {}, HEAD['conv_channels'], HEAD['hidden_dim']
    sd['keypoint_head.conv_trans.0.weight'] = _randn(g, c, in_channels, 1, 1,
                                                     scale=1 / math.sqrt(in_channels))
    _bn(g, sd, 'keypoint_head.conv_trans.1', c)
    for j in range(HEAD['conv_num_blocks']):
        for k in (1, 2):
            sd[f'keypoint_head.conv_head.0.{j}.conv{k}.weight'] = _randn(g, c, c, 3, 3, scale=0.1)
            _bn(g, sd, f'keypoint_head.conv_head.0.{j}.bn{k}', c)
    _linear(g, sd, 'keypoint_head.mixer_trans.ff.0', c * feat_hw, M * hidden)
    _norm(g, sd, 'keypoint_head.mixer_trans.ff.1', M * hidden)
    for i in range(HEAD['num_blocks']):
        _mixer(g, sd, f'keypoint_head.mixer_head.{i}', M, hidden, HEAD['token_hidden'],
               HEAD['channel_hidden'])
    _linear(g, sd, 'keypoint_head.mixer_norm_layer.ff.0', hidden, hidden)
    _norm(g, sd, 'keypoint_head.mixer_norm_layer.ff.1', hidden)
    _linear(g, sd, 'keypoint_head.cls_pred_layer', hidden, V)
    return sd


def release_swin(g, prefix):
    """SwinV2TransformerRPE2FC (cosine_mh attention, rpe_mlp, post-norm, out_indices (3,))."""
    sd, c = {}, SWIN['embed_dims']
    sd[f'{prefix}patch_embed.proj.weight'] = _randn(g, c, 3, 4, 4, scale=0.2)
    sd[f'{prefix}patch_embed.proj.bias'] = _randn(g, c, scale=0.1)
    _norm(g, sd, f'{prefix}patch_embed.norm', c)
    for i, (depth, heads, ws) in enumerate(zip(SWIN['depths'], SWIN['num_heads'], WINDOWS)):
        for j in range(depth):
            p = f'{prefix}layers.{i}.blocks.{j}.'
            sd[p + 'attn.logit_scale'] = math.log(10) + _randn(g, heads, 1, 1)
            _linear(g, sd, p + 'attn.rpe_mlp.0', 2, RPE_HIDDEN)
            _linear(g, sd, p + 'attn.rpe_mlp.2', RPE_HIDDEN, heads, bias=False)
            sd[p + 'attn.relative_coords_table'] = torch.zeros(1, 2 * ws - 1, 2 * ws - 1, 2)
            sd[p + 'attn.relative_position_index'] = torch.zeros(ws * ws, ws * ws,
                                                                 dtype=torch.long)
            _linear(g, sd, p + 'attn.qkv', c, 3 * c, bias=False)
            sd[p + 'attn.q_bias'] = _randn(g, c, scale=0.1)
            sd[p + 'attn.v_bias'] = _randn(g, c, scale=0.1)
            _linear(g, sd, p + 'attn.proj', c, c)
            _norm(g, sd, p + 'norm1', c)
            _linear(g, sd, p + 'mlp.fc1', c, 4 * c)
            _linear(g, sd, p + 'mlp.fc2', 4 * c, c)
            _norm(g, sd, p + 'norm2', c)
        if i < 3:
            _linear(g, sd, f'{prefix}layers.{i}.downsample.reduction', 4 * c, 2 * c, bias=False)
            _norm(g, sd, f'{prefix}layers.{i}.downsample.norm', 2 * c)
            c *= 2
    _norm(g, sd, f'{prefix}norm3', c)
    return sd


# --------------------------------------------------------- references: the release's equations
def ln(x, sd, name, eps=1e-5):
    return F.layer_norm(x, x.shape[-1:], sd[f'{name}.weight'], sd[f'{name}.bias'], eps)


def lin(x, sd, name):
    return F.linear(x, sd[f'{name}.weight'], sd.get(f'{name}.bias'))


def bn(x, sd, name):
    return F.batch_norm(x, sd[f'{name}.running_mean'], sd[f'{name}.running_var'],
                        sd[f'{name}.weight'], sd[f'{name}.bias'], training=False)


def ref_mixer(x, sd, name):
    """y = MLP_token(LN1(x)^T)^T, z = MLP_channel(LN2(x + y)), out = x + y + z."""
    y = ln(x, sd, f'{name}.layernorm1').transpose(1, 2)
    y = lin(F.gelu(lin(y, sd, f'{name}.MLP_token.ff.0')), sd, f'{name}.MLP_token.ff.3')
    y = y.transpose(1, 2)
    z = ln(x + y, sd, f'{name}.layernorm2')
    z = lin(F.gelu(lin(z, sd, f'{name}.MLP_channel.ff.0')), sd, f'{name}.MLP_channel.ff.3')
    return x + y + z


def ref_encode(sd, p, joints_px, visible, guide=None):
    """Token ids (B, M) of pixel joints (B, K, 2)."""
    x = lin(joints_px, sd, f'{p}start_embed')
    if guide is not None:
        x = torch.cat([x, lin(guide, sd, f'{p}start_img_embed')], dim=2)
    w = visible[..., None].to(x.dtype)
    x = x * w + sd[f'{p}invisible_token'] * (1 - w)
    for i in range(ENC['num_blocks']):
        x = ref_mixer(x, sd, f'{p}encoder.{i}')
    x = ln(x, sd, f'{p}encoder_layer_norm')
    x = lin(x.transpose(1, 2), sd, f'{p}token_mlp').transpose(1, 2)
    z = lin(x, sd, f'{p}feature_embed')
    return torch.cdist(z, sd[f'{p}codebook'][None]).argmin(-1)


def ref_decode(sd, p, token_feats):
    """Pixel joints (B, K, 2) from token features (B, M, D)."""
    x = lin(token_feats.transpose(1, 2), sd, f'{p}decoder_token_mlp').transpose(1, 2)
    x = lin(x, sd, f'{p}decoder_start')
    for i in range(DEC['num_blocks']):
        x = ref_mixer(x, sd, f'{p}decoder.{i}')
    return lin(ln(x, sd, f'{p}decoder_layer_norm'), sd, f'{p}recover_embed')


def ref_head_logits(sd, feat):
    """(B, C_in, H, W) -> (B, M, V), flattening (B, C, H, W) -> (B, H*W, C) -> (B, H*W*C)."""
    x = F.relu(bn(F.conv2d(feat, sd['keypoint_head.conv_trans.0.weight']), sd,
                  'keypoint_head.conv_trans.1'))
    for j in range(HEAD['conv_num_blocks']):
        p = f'keypoint_head.conv_head.0.{j}.'
        y = F.relu(bn(F.conv2d(x, sd[p + 'conv1.weight'], padding=1), sd, p + 'bn1'))
        x = F.relu(bn(F.conv2d(y, sd[p + 'conv2.weight'], padding=1), sd, p + 'bn2') + x)
    x = x.flatten(2).transpose(1, 2).flatten(1)  # position-major
    x = F.relu(ln(lin(x, sd, 'keypoint_head.mixer_trans.ff.0'), sd,
                  'keypoint_head.mixer_trans.ff.1'))
    x = x.view(x.shape[0], M, HEAD['hidden_dim'])
    for i in range(HEAD['num_blocks']):
        x = ref_mixer(x, sd, f'keypoint_head.mixer_head.{i}')
    x = F.relu(ln(lin(x, sd, 'keypoint_head.mixer_norm_layer.ff.0'), sd,
                  'keypoint_head.mixer_norm_layer.ff.1'))
    return lin(x, sd, 'keypoint_head.cls_pred_layer')


def _windows(x, ws):  # (B, H, W, C) -> (B * nW, ws * ws, C), windows in raster order
    b, h, w, c = x.shape
    return x.view(b, h // ws, ws, w // ws, ws, c).transpose(2, 3).reshape(-1, ws * ws, c)


def ref_window_attention(x, sd, p, heads, ws, pws, mask):
    bw, n, c = x.shape
    bias = torch.cat([sd[p + 'q_bias'], torch.zeros_like(sd[p + 'q_bias']), sd[p + 'v_bias']])
    q, k, v = F.linear(x, sd[p + 'qkv.weight'], bias).view(bw, n, 3, heads, -1).permute(
        2, 0, 3, 1, 4)
    scale = sd[p + 'logit_scale'].clamp(max=math.log(100)).exp()
    attn = F.normalize(q, dim=-1) @ F.normalize(k, dim=-1).transpose(-2, -1) * scale
    # continuous position bias: MLP of log-spaced relative offsets (a float32 buffer in the
    # release), 16 * sigmoid
    d = torch.arange(-(ws - 1), ws, dtype=torch.float32) / (pws - 1) * 8
    d = (torch.sign(d) * torch.log2(d.abs() + 1) / 3).to(x.dtype)
    table = torch.stack(torch.meshgrid(d, d, indexing='ij'), -1)  # (2ws-1, 2ws-1, 2): dy, dx
    table = lin(F.relu(lin(table, sd, p + 'rpe_mlp.0')), sd, p + 'rpe_mlp.2')
    pos = torch.stack(torch.meshgrid(torch.arange(ws), torch.arange(ws), indexing='ij'), -1)
    rel = pos.view(-1, 1, 2) - pos.view(1, -1, 2) + ws - 1  # (N, N, 2)
    attn = attn + 16 * torch.sigmoid(table[rel[..., 0], rel[..., 1]].permute(2, 0, 1))
    if mask is not None:
        attn = (attn.view(-1, mask.shape[0], heads, n, n) + mask[None, :, None]).view_as(attn)
    out = (attn.softmax(-1) @ v).transpose(1, 2).reshape(bw, n, c)
    return lin(out, sd, p + 'proj')


def ref_swin(sd, p, img):
    """Last-stage features (B, 8 C, H/32, W/32) of an image (B, 3, H, W)."""
    x = F.conv2d(img, sd[p + 'patch_embed.proj.weight'], sd[p + 'patch_embed.proj.bias'], 4)
    b, _, h, w = x.shape
    x = ln(x.flatten(2).transpose(1, 2), sd, p + 'patch_embed.norm', EPS_SWIN)
    for i, (depth, heads, ws, pws) in enumerate(zip(SWIN['depths'], SWIN['num_heads'],
                                                   WINDOWS, PRETRAIN_WINDOWS)):
        for j in range(depth):
            q, c = f'{p}layers.{i}.blocks.{j}.', x.shape[-1]
            shift = ws // 2 if j % 2 and SHIFTS[i] else 0
            y = torch.roll(x.view(b, h, w, c), (-shift, -shift), (1, 2))
            mask = None
            if shift:  # -100 between tokens from different regions of the rolled map
                region = torch.zeros(1, h, w, 1)
                cuts = (slice(0, -ws), slice(-ws, -shift), slice(-shift, None))
                for r, (sh, sw) in enumerate((sh, sw) for sh in cuts for sw in cuts):
                    region[:, sh, sw] = r
                region = _windows(region, ws)[..., 0]
                mask = (region[:, None] != region[:, :, None]).to(x.dtype) * -100.0
            y = ref_window_attention(_windows(y, ws), sd, q + 'attn.', heads, ws, pws, mask)
            y = y.view(b, h // ws, w // ws, ws, ws, c).transpose(2, 3).reshape(b, h, w, c)
            y = torch.roll(y, (shift, shift), (1, 2)).reshape(b, h * w, c)
            x = x + ln(y, sd, q + 'norm1', EPS_SWIN)  # post-norm
            y = lin(F.gelu(lin(x, sd, q + 'mlp.fc1')), sd, q + 'mlp.fc2')
            x = x + ln(y, sd, q + 'norm2', EPS_SWIN)
        if i < 3:  # concatenate the 2 x 2 neighbours (row, col) (0,0), (1,0), (0,1), (1,1)
            y = x.view(b, h, w, -1)
            y = torch.cat([y[:, 0::2, 0::2], y[:, 1::2, 0::2], y[:, 0::2, 1::2],
                           y[:, 1::2, 1::2]], -1)
            h, w = h // 2, w // 2
            x = ln(lin(y.reshape(b, h * w, -1), sd, f'{p}layers.{i}.downsample.reduction'), sd,
                   f'{p}layers.{i}.downsample.norm', EPS_SWIN)
    x = ln(x, sd, p + 'norm3', EPS_SWIN)
    return x.view(b, h, w, -1).permute(0, 3, 1, 2)


# ------------------------------------------------------------------------------ our models
def tokenizer_cfg(guide_channels=0):
    return dict(type='PCTTokenizer', num_keypoints=K, num_tokens=M, codebook_size=V, token_dim=D,
                encoder=ENC, decoder=DEC, guide_channels=guide_channels, guide_ratio=0.5)


def backbone_cfg():
    return release_swin_v2(SWIN, img_size=IMG, window_size=WINDOWS,
                           pretrained_window_sizes=PRETRAIN_WINDOWS, use_shift=SHIFTS)


def build(cfg):
    register_all_modules()
    return MODELS.build(cfg).double().eval()


def load(model, sd):
    """Strict, except mmpretrain's SwinTransformerV2 deleting its relative_* buffers from any
    state dict it loads (it recomputes them from its config)."""
    missing, unexpected = model.load_state_dict(sd, strict=False)
    assert not unexpected, unexpected
    assert all(k.endswith(('relative_coords_table', 'relative_position_index'))
               for k in missing), missing
    assert all(k in sd for k in model.state_dict() if k not in missing)


def poses(g, batch=3):
    joints = torch.rand(batch, K, 2, generator=g, dtype=torch.float64) * torch.tensor(CROP)
    visible = torch.rand(batch, K, generator=g) > 0.2
    return joints, visible


# ----------------------------------------------------------------------------------- tests
def test_tokenizer_checkpoint_with_image_guidance():
    g = torch.Generator().manual_seed(0)
    guide_channels = 8 * SWIN['embed_dims']
    sd = dict(release_tokenizer(g, 'keypoint_head.tokenizer.', guide_channels),
              **release_swin(g, 'extra_backbone.'))
    out = convert_official_pct(dict(state_dict=sd, meta={}), input_size=CROP)
    assert not any(k.startswith(('backbone.', 'head.')) for k in out)
    model = build(dict(type='PCTTokenizerEstimator', tokenizer=tokenizer_cfg(guide_channels),
                       codec=dict(type='RegressionLabel', input_size=CROP),
                       guide_backbone=backbone_cfg()))
    load(model, out)

    joints, visible = poses(g)
    guide = torch.randn(3, K, guide_channels, generator=g, dtype=torch.float64)
    p, size = 'keypoint_head.tokenizer.', torch.tensor(CROP, dtype=torch.float64)
    ids = ref_encode(sd, p, joints, visible, guide)
    assert len(ids.unique()) > 1
    with torch.no_grad():
        z = model.tokenizer.encode(joints / size, visible.double(), guide)
        assert torch.equal(model.tokenizer.quantizer.nearest(z.flatten(0, 1)).view(3, M), ids)
        decoded = model.tokenizer.decode_ids(ids) * size
        img = torch.randn(2, 3, IMG, IMG, generator=g, dtype=torch.float64)
        feats = model.guide_backbone(img)[-1]
    torch.testing.assert_close(decoded, ref_decode(sd, p, sd[p + 'codebook'][ids]),
                               atol=1e-6, rtol=0)
    torch.testing.assert_close(feats, ref_swin(sd, 'extra_backbone.', img), atol=1e-6, rtol=0)


def test_tokenizer_checkpoint_without_guidance_reconstructs_as_the_release():
    g = torch.Generator().manual_seed(1)
    sd = release_tokenizer(g, 'keypoint_head.tokenizer.')
    out = convert_official_pct(sd, input_size=CROP)
    model = build(dict(type='PCTTokenizerEstimator', tokenizer=tokenizer_cfg(),
                       codec=dict(type='RegressionLabel', input_size=CROP)))
    load(model, out)
    joints, visible = poses(g)
    p, size = 'keypoint_head.tokenizer.', torch.tensor(CROP, dtype=torch.float64)
    with torch.no_grad():
        recon = model.tokenizer(joints / size, visible.double())
    ids = ref_encode(sd, p, joints, visible)
    assert torch.equal(recon['token_ids'], ids)
    torch.testing.assert_close(recon['joints'] * size, ref_decode(sd, p, sd[p + 'codebook'][ids]),
                               atol=1e-6, rtol=0)


def classifier_checkpoint(g):
    sd = release_swin(g, 'backbone.')
    sd.update(release_swin(g, 'extra_backbone.'))
    sd.update(release_head(g, 8 * SWIN['embed_dims'], feat_hw=4))
    sd.update(release_tokenizer(g, 'keypoint_head.tokenizer.', 8 * SWIN['embed_dims']))
    return sd


def classifier_model():
    head = dict(type='PCTHead', in_channels=8 * SWIN['embed_dims'], in_featuremap_size=(2, 2),
                tokenizer=tokenizer_cfg(8 * SWIN['embed_dims']), conv_stride=1,
                decoder=dict(type='RegressionLabel', input_size=CROP), **HEAD)
    return build(dict(type='FrozenBackbonePoseEstimator', backbone=backbone_cfg(), head=head))


def test_classifier_checkpoint_computes_the_release_logits_and_joints():
    g = torch.Generator().manual_seed(2)
    sd = classifier_checkpoint(g)
    out = convert_official_pct(dict(state_dict=sd), input_size=CROP)
    assert not any(k.startswith(('extra_backbone.', 'guide_backbone.')) for k in out)
    model = classifier_model()
    load(model, out)

    # the head alone on the same (B, C, H, W) features: the flatten-order permutation
    feat = torch.randn(3, 8 * SWIN['embed_dims'], 2, 2, generator=g, dtype=torch.float64)
    with torch.no_grad():
        logits = model.head.forward((feat, ))
    torch.testing.assert_close(logits, ref_head_logits(sd, feat), atol=1e-6, rtol=0)
    # the unpermuted weight would not do
    unpermuted = dict(out, **{'head.to_tokens.0.weight':
                              sd['keypoint_head.mixer_trans.ff.0.weight']})
    model.load_state_dict(unpermuted, strict=False)
    with torch.no_grad():
        assert (model.head.forward((feat, )) - logits).abs().max() > 1e-2
    load(model, out)

    # image -> Swin V2 -> logits -> soft lookup -> decoded joints, in pixels of the crop
    img = torch.randn(2, 3, IMG, IMG, generator=g, dtype=torch.float64)
    ref_logits = ref_head_logits(sd, ref_swin(sd, 'backbone.', img))
    p = 'keypoint_head.tokenizer.'
    ref_joints = ref_decode(sd, p, ref_logits.softmax(-1) @ sd[p + 'codebook'])
    with torch.no_grad():
        logits = model.head.forward(model.extract_feat(img))
        joints = model.head.decode_logits(logits) * torch.tensor(CROP, dtype=torch.float64)
    torch.testing.assert_close(logits, ref_logits, atol=1e-6, rtol=0)
    torch.testing.assert_close(joints, ref_joints, atol=1e-6, rtol=0)


def test_unknown_and_leftover_keys_are_refused_by_name():
    g = torch.Generator().manual_seed(3)
    sd = release_tokenizer(g, 'keypoint_head.tokenizer.')
    for extra in ('keypoint_head.tokenizer.start_embed.scale', 'neck.proj.weight'):
        with pytest.raises(ValueError, match=rf'convert_official_pct.*{extra}'):
            convert_official_pct(dict(sd, **{extra: torch.zeros(1)}))
    # a tokenizer checkpoint has no classifier backbone
    with pytest.raises(ValueError, match=r'convert_official_pct.*backbone\.norm3\.weight'):
        convert_official_pct(dict(sd, **{'backbone.norm3.weight': torch.zeros(1)}))
    # a Swin V2 variant the release's configs do not use (pre-norm layer scale)
    sd = classifier_checkpoint(g)
    sd['backbone.layers.0.blocks.0.gamma_1'] = torch.zeros(8)
    with pytest.raises(ValueError, match=r'backbone\.layers\.0\.blocks\.0\.gamma_1'):
        convert_official_pct(sd)


def test_registered():
    assert CONVERTERS['official_pct'] is convert_official_pct


def test_the_release_config_builds_the_swin_v2_the_converter_targets():
    """configs/pct/pct_swinv2-b-release_... writes Swin V2-B out literally (configs import no
    converter code); it must stay what the parity-tested ``release_swin_v2('base')`` gives."""
    import os.path as osp

    from mmengine.config import Config
    path = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
                    'configs/pct/pct_swinv2-b-release_8xb32-210e_coco-256x256.py')
    backbone = Config.fromfile(path).model.backbone.to_dict()
    expected = release_swin_v2('base')
    assert {k: v for k, v in backbone.items() if k != '_delete_'} == expected
