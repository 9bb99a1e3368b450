"""PCTTokenizer: shapes, gradients through the straight-through estimator to the encoder,
joint masking, tokenize / decode_ids consistency, image guidance."""
import pytest
import torch

from vitpose_ext.models.tokenizers import PCTTokenizer, joint_features

pytestmark = pytest.mark.numerics  # two paths: run in both regimes

SMALL = dict(num_keypoints=17, num_tokens=6, codebook_size=32, token_dim=16,
             encoder=dict(num_blocks=2, hidden_dim=32, token_hidden=16, channel_hidden=32),
             decoder=dict(num_blocks=1, hidden_dim=16, token_hidden=16, channel_hidden=16))


def poses(batch=8, seed=0):
    g = torch.Generator().manual_seed(seed)
    joints = torch.rand(batch, 17, 2, generator=g)
    weights = (torch.rand(batch, 17, generator=g) > 0.2).float()
    return joints, weights


def build(**kwargs):
    tok = PCTTokenizer(**dict(SMALL, **kwargs))
    tok.init_weights()
    return tok


def test_shapes_and_token_ids():
    tok = build().train()
    joints, weights = poses()
    out = tok(joints, weights)
    assert out['joints'].shape == (8, 17, 2)
    assert out['token_ids'].shape == (8, 6) and out['token_ids'].max() < 32
    assert out['loss_commit'].ndim == 0
    assert set(out['stats']) == {'perplexity', 'usage', 'num_reinit'}


def test_gradients_reach_the_encoder_through_the_straight_through_estimator():
    torch.manual_seed(0)
    tok = build().train()
    joints, weights = poses()
    weights[0, :3] = 0  # invisible joints: the mask token is used
    out = tok(joints, weights)
    (out['joints'] - joints).abs().mean().backward()  # the reconstruction loss alone
    for name, p in tok.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def test_invisible_joints_are_replaced_by_the_mask_token():
    tok = build().eval()
    joints, weights = poses()
    moved = joints.clone()
    moved[weights == 0] = torch.rand(int((weights == 0).sum()), 2) * 5
    assert torch.equal(tok.encode(joints, weights), tok.encode(moved, weights))
    moved[weights > 0] += 0.1
    assert not torch.equal(tok.encode(joints, weights), tok.encode(moved, weights))


def test_random_masking_only_in_training():
    tok = build(mask_ratio=0.5)
    joints, weights = poses()
    weights[:] = 1
    tok.eval()
    assert torch.equal(tok.encode(joints, weights), tok.encode(joints, weights))
    tok.train()
    torch.manual_seed(0)
    masked = tok.encode(joints, weights)
    assert not torch.allclose(masked, tok.eval().encode(joints, weights))
    tok.mask_ratio = 0.0
    assert torch.allclose(tok.train().encode(joints, weights), tok.eval().encode(joints, weights))


def test_tokenize_and_decode_ids_match_the_forward_pass():
    tok = build().train()
    joints, weights = poses()
    tok(joints, weights)  # initialise the codebook from data
    tok.eval()
    out = tok(joints, weights)
    assert torch.equal(tok.tokenize(joints, weights), out['token_ids'])
    assert torch.allclose(tok.decode_ids(out['token_ids']), out['joints'], atol=1e-6)


def test_image_guidance():
    tok = build(guide_channels=5, guide_ratio=0.5).eval()
    joints, weights = poses()
    feats = torch.randn(8, 17, 5)
    assert not torch.equal(tok.encode(joints, weights, feats),
                           tok.encode(joints, weights, feats + 1))
    with pytest.raises(ValueError, match='guide_feats'):
        tok.encode(joints, weights)


def test_joint_features_sample_the_map_at_the_joints():
    # a (1, 2, 4, 6) map whose channels are the x and y centre of each cell in [0, 1]
    h, w = 4, 6
    ys, xs = torch.meshgrid((torch.arange(h) + 0.5) / h, (torch.arange(w) + 0.5) / w,
                            indexing='ij')
    fmap = torch.stack([xs, ys])[None]
    joints = torch.tensor([[[0.25, 0.625], [0.5, 0.5], [1 / 12, 1 / 8]]])
    assert torch.allclose(joint_features(fmap, joints), joints, atol=1e-6)


def test_invalid_arguments_name_the_class():
    with pytest.raises(ValueError, match='PCTTokenizer'):
        PCTTokenizer(**dict(SMALL, mask_ratio=1.0))
    with pytest.raises(ValueError, match='PCTTokenizer'):
        PCTTokenizer(**dict(SMALL, encoder=dict(num_layers=2)))


def test_mask_token_initialised_as_the_release():
    torch.manual_seed(0)
    tok = PCTTokenizer(num_keypoints=17, num_tokens=8, codebook_size=16, token_dim=8,
                       encoder=dict(hidden_dim=256), decoder=dict(hidden_dim=32))
    tok.init_weights()
    values = tok.mask_token.detach()
    assert values.abs().max() <= 0.02 and values.std() > 0.005
