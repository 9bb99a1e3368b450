"""PCTHead: the frozen tokenizer stays bit-identical while the classifier trains, soft and
straight-through lookups, loading the stage-1 checkpoint in init_weights, flip test."""
import numpy as np
import pytest
import torch
from mmpose.models.utils.tta import flip_coordinates

from helpers.common import COCO_FLIP_INDICES as FLIP, pose_samples
from vitpose_ext.models.heads import PCTHead

pytestmark = pytest.mark.numerics  # two paths: run in both regimes

TOKENIZER = dict(type='PCTTokenizer', num_keypoints=17, num_tokens=6, codebook_size=32,
                 token_dim=16,
                 encoder=dict(num_blocks=1, hidden_dim=32, token_hidden=16, channel_hidden=32),
                 decoder=dict(num_blocks=1, hidden_dim=16, token_hidden=16, channel_hidden=16))


def build(**kwargs):
    cfg = dict(in_channels=16, in_featuremap_size=(4, 4), tokenizer=TOKENIZER, conv_channels=8,
               conv_num_blocks=1, conv_stride=2, num_blocks=1, hidden_dim=16, token_hidden=8,
               channel_hidden=16, decoder=dict(type='RegressionLabel', input_size=(64, 64)))
    head = PCTHead(**dict(cfg, **kwargs))
    head.init_weights()
    return head


def batch(n=4, seed=0):
    feats = (torch.randn(n, 16, 4, 4, generator=torch.Generator().manual_seed(seed)), )
    return feats, pose_samples(n, seed=seed)


def test_frozen_tokenizer_stays_bit_identical_while_the_head_trains():
    torch.manual_seed(0)
    head = build().train()
    assert not head.tokenizer.training
    frozen = {k: v.clone() for k, v in head.tokenizer.state_dict().items()}
    trainable = {n: p.clone() for n, p in head.named_parameters() if p.requires_grad}
    assert trainable and not any(n.startswith('tokenizer.') for n in trainable)
    opt = torch.optim.AdamW([p for p in head.parameters() if p.requires_grad], lr=1e-2)
    for step in range(3):
        feats, samples = batch(seed=step)
        losses = head.loss(feats, samples)
        assert set(losses) == {'loss_token', 'loss_joint', 'acc_pose', 'acc_token'}
        opt.zero_grad()
        (losses['loss_token'] + losses['loss_joint']).backward()
        for n, p in head.named_parameters():
            if p.requires_grad:
                assert p.grad is not None and p.grad.abs().sum() > 0, n
        opt.step()
    for k, v in head.tokenizer.state_dict().items():
        assert torch.equal(frozen[k], v), k
    assert all(not torch.equal(trainable[n], p) for n, p in head.named_parameters()
               if p.requires_grad)


@pytest.mark.parametrize('lookup', ['soft', 'straight_through'])
def test_lookups(lookup):
    head = build(lookup=lookup).eval()
    feats, samples = batch()
    logits = head.forward(feats)
    joints = head.decode_logits(logits)
    if lookup == 'soft':
        expected = head.tokenizer.decode(logits.softmax(-1) @ head.tokenizer.codebook)
    else:  # forward: the hard entries
        expected = head.tokenizer.decode_ids(logits.argmax(-1))
    assert torch.allclose(joints, expected, atol=1e-6)
    # backward: both reach the classifier through the frozen decoder
    joints.sum().backward()
    assert head.classifier.weight.grad.abs().sum() > 0


def test_straight_through_gradient_is_the_soft_one(monkeypatch):
    feats, _ = batch()
    weights = torch.randn(4, 6, 16)
    grads, values = [], []
    for lookup in ('soft', 'straight_through'):
        torch.manual_seed(0)
        head = build(lookup=lookup)
        monkeypatch.setattr(head.tokenizer, 'decode', lambda token_feats: token_feats)
        logits = head.forward(feats).detach().requires_grad_()
        token_feats = head.decode_logits(logits)  # the looked-up token features
        (token_feats * weights).sum().backward()
        grads.append(logits.grad)
        values.append(token_feats.detach())
    assert torch.allclose(grads[0], grads[1], atol=1e-6)
    hard = head.tokenizer.codebook[logits.argmax(-1)]
    assert torch.allclose(values[1], hard, atol=1e-6) and not torch.allclose(values[0], hard)


def test_init_weights_loads_the_tokenizer_checkpoint(tmp_path):
    stage1 = build()
    state = {f'tokenizer.{k}': v + 1 for k, v in stage1.tokenizer.state_dict().items()}
    for prefix, name in (('', 'stage1.pth'), ('head.', 'stage2.pth')):
        path = str(tmp_path / name)
        torch.save(dict(state_dict={prefix + k: v for k, v in state.items()}), path)
        head = build(tokenizer_checkpoint=path)
        for k, v in head.tokenizer.state_dict().items():
            assert torch.equal(v, state[f'tokenizer.{k}']), k
        assert not any(p.requires_grad for p in head.tokenizer.parameters())  # frozen
        assert not head.tokenizer.training
    torch.save(dict(state_dict={'backbone.w': torch.zeros(1)}), str(tmp_path / 'other.pth'))
    with pytest.raises(ValueError, match=r'PCTHead: .*other\.pth has no weights under tokenizer'):
        build(tokenizer_checkpoint=str(tmp_path / 'other.pth'))
    # the constructor never reads the file: a config builds without it
    PCTHead(in_channels=16, in_featuremap_size=(4, 4), tokenizer=TOKENIZER,
            tokenizer_checkpoint=str(tmp_path / 'missing.pth'),
            decoder=dict(type='RegressionLabel', input_size=(64, 64)))


def test_predict_with_flip_test():
    head = build().eval()
    feats, samples = batch()
    with torch.no_grad():
        logits = head.forward(feats)
        plain = head.predict(feats, samples, test_cfg={})
        flipped = head.predict([feats, feats], samples, test_cfg=dict(flip_test=True))
        joints = head.decode_logits(logits)
        expected = (joints + flip_coordinates(joints.clone(), FLIP, True, (64, 64))) / 2
    assert len(flipped) == 4 and flipped[0].keypoints.shape == (1, 17, 2)
    np.testing.assert_allclose(np.stack([p.keypoints[0] for p in flipped]),
                               expected.numpy() * 64, atol=1e-4)
    score = logits.max(-1).values.mean(-1).numpy()
    np.testing.assert_allclose(np.stack([p.keypoint_scores[0] for p in plain]),
                               np.repeat(score[:, None], 17, 1), rtol=1e-5)


def test_invalid_arguments_name_the_class():
    with pytest.raises(ValueError, match='PCTHead'):
        build(lookup='hard')
