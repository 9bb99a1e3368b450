"""Stage 1 of knowledge-token distillation: only the token learns, the teacher stays frozen."""
import pytest
import torch
from mmengine.optim import OptimWrapper
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

from fake_data import fake_pose_batch
from helpers.common import tiny_vitpose_cfg

register_all_modules()


def build(cfg):
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def teacher_state():
    return build(tiny_vitpose_cfg()).state_dict()


def stage1(**kw):
    model = build(dict(tiny_vitpose_cfg(), type='KnowledgeTokenPoseEstimator', **kw))
    model.load_teacher(teacher_state())
    return model


def test_only_the_token_trains_and_the_teacher_stays_bit_identical():
    model = stage1(num_tokens=2)
    assert model.knowledge_token.shape == (1, 2, 32)
    assert [n for n, p in model.named_parameters() if p.requires_grad] == ['knowledge_token']
    teacher = teacher_state()
    for key, value in model.state_dict().items():  # load_teacher loaded every teacher tensor
        assert key == 'knowledge_token' or torch.equal(value, teacher[key]), key
    token = model.knowledge_token.detach().clone()
    # all parameters, with weight decay, as MMEngine's default optimizer constructor does
    optim = OptimWrapper(torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1))
    model.train()  # what the runner calls every epoch
    assert model.training
    assert not any(m.training for m in model.modules() if m is not model)
    batch = fake_pose_batch()
    for _ in range(3):
        losses = model.train_step(batch, optim)
        assert set(losses) == {'loss', 'loss_kpt', 'acc_pose'}
    for key, value in model.state_dict().items():  # parameters and buffers (BN statistics)
        if key != 'knowledge_token':
            assert torch.equal(value, teacher[key]), key
    assert not torch.equal(model.knowledge_token, token)
    # drop path (rate 0.3) stays off under train(): the frozen teacher is deterministic
    x = torch.randn(2, 3, 64, 64)
    assert torch.equal(model._forward(x), model._forward(x))


def test_the_token_changes_the_prediction():
    model = stage1()
    x = torch.randn(2, 3, 64, 64)
    before = model._forward(x)
    with torch.no_grad():
        model.knowledge_token.mul_(100)
    assert not torch.allclose(before, model._forward(x))


def test_load_teacher_keeps_the_token_and_rejects_a_checkpoint_that_does_not_fit():
    model = stage1()
    token = model.knowledge_token.detach().clone()
    state = dict(teacher_state(), knowledge_token=torch.ones_like(token))
    model.load_teacher(state)  # a stage-1 checkpoint as teacher: its token is not taken
    assert torch.equal(model.knowledge_token, token)
    wrong = build(tiny_vitpose_cfg(dims=48, num_heads=3)).state_dict()
    with pytest.raises(ValueError, match='KnowledgeTokenPoseEstimator.*does not fit'):
        model.load_teacher(wrong)
    partial = {k: v for k, v in teacher_state().items() if not k.startswith('head.')}
    with pytest.raises(ValueError, match='missing keys'):
        model.load_teacher(partial)


def test_needs_a_vit_backbone_and_a_token():
    cfg = dict(tiny_vitpose_cfg(), type='KnowledgeTokenPoseEstimator')
    with pytest.raises(ValueError, match='KnowledgeTokenPoseEstimator.*num_tokens'):
        MODELS.build(dict(cfg, num_tokens=0))
    with pytest.raises(ValueError, match='KnowledgeTokenPoseEstimator.*ViTPoseBackbone'):
        MODELS.build(dict(cfg, backbone=dict(cfg['backbone'], out_type='extra_tokens',
                                             num_extra_tokens=1)))
