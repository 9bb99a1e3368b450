"""Stage 1 of knowledge-token distillation: only the token learns, the teacher stays frozen."""
import pytest
import torch
from mmengine.optim import OptimWrapper
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

from fake_data import fake_pose_batch
from helpers.common import tiny_vitpose_cfg

register_all_modules()
TOKENS = 'backbone.extra_tokens'  # the knowledge tokens


def build(cfg, seed=0):
    torch.manual_seed(seed)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def teacher_state():
    """A trained teacher: initialised from another seed than the stage-1 model's own weights."""
    return build(tiny_vitpose_cfg(), seed=1).state_dict()


def save(state, path):
    torch.save({'state_dict': state, 'meta': {}}, path)
    return str(path)


def stage1(tmp_path, state=None, **kw):
    """The stage-1 model with ``teacher_checkpoint`` (``state``, default the teacher's), built
    and initialised (``init_weights()`` loads the teacher)."""
    checkpoint = save(teacher_state() if state is None else state, tmp_path / 'teacher.pth')
    return build(dict(tiny_vitpose_cfg(), type='KnowledgeTokenPoseEstimator',
                      teacher_checkpoint=checkpoint, **kw))


def test_only_the_token_trains_and_the_teacher_stays_bit_identical(tmp_path):
    model = stage1(tmp_path, num_tokens=2)
    assert model.backbone.extra_tokens.shape == (1, 2, 32)
    assert [n for n, p in model.named_parameters() if p.requires_grad] == [TOKENS]
    assert not any(m.training for m in model.modules())  # frozen: in eval mode
    teacher = teacher_state()
    for key, value in model.state_dict().items():  # init_weights loaded every teacher tensor
        assert key == TOKENS or torch.equal(value, teacher[key]), key
    token = model.backbone.extra_tokens.detach().clone()
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
        if key != TOKENS:
            assert torch.equal(value, teacher[key]), key
    assert not torch.equal(model.backbone.extra_tokens, token)
    # drop path (rate 0.3) stays off under train(): the frozen teacher is deterministic
    x = torch.randn(2, 3, 64, 64)
    assert torch.equal(model._forward(x), model._forward(x))


def test_the_token_changes_the_prediction(tmp_path):
    model = stage1(tmp_path)
    x = torch.randn(2, 3, 64, 64)
    before = model._forward(x)
    with torch.no_grad():
        model.backbone.extra_tokens.mul_(100)
    # relative: the untrained head's heatmaps are ~1e-8, below allclose's default atol
    assert not torch.allclose(before, model._forward(x), rtol=1e-4, atol=0)


def test_teacher_checkpoint_loads_in_init_weights_keeps_the_token_and_must_fit(tmp_path):
    cfg = dict(tiny_vitpose_cfg(), type='KnowledgeTokenPoseEstimator')
    token = build(cfg).backbone.extra_tokens  # initialised, no teacher checkpoint (a warning)
    # a stage-1 checkpoint as teacher: its tokens are not taken
    model = stage1(tmp_path, dict(teacher_state(), **{TOKENS: torch.ones_like(token)}))
    assert torch.equal(model.backbone.extra_tokens, token)
    # the constructor never reads the file: init_weights() does
    missing = MODELS.build(dict(cfg, teacher_checkpoint=str(tmp_path / 'missing.pth')))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        missing.init_weights()
    wrong = save(build(tiny_vitpose_cfg(dims=48, num_heads=3)).state_dict(), tmp_path / 'wrong.pth')
    with pytest.raises(ValueError, match=r'KnowledgeTokenPoseEstimator: .*wrong\.pth does not fit'):
        build(dict(cfg, teacher_checkpoint=wrong))
    partial = {k: v for k, v in teacher_state().items() if not k.startswith('head.')}
    with pytest.raises(ValueError, match=r'partial\.pth .*missing keys'):
        build(dict(cfg, teacher_checkpoint=save(partial, tmp_path / 'partial.pth')))


def test_the_stage1_checkpoint_is_a_plain_vitpose_with_extra_tokens(tmp_path):
    model = stage1(tmp_path, num_tokens=2)
    plain = MODELS.build(tiny_vitpose_cfg(num_extra_tokens=2))
    plain.load_state_dict(model.state_dict(), strict=True)
    plain.eval()
    x = torch.randn(2, 3, 64, 64)
    assert torch.equal(plain._forward(x), model._forward(x))


def test_needs_a_vit_backbone_without_extra_tokens_and_a_token():
    cfg = dict(tiny_vitpose_cfg(), type='KnowledgeTokenPoseEstimator')
    with pytest.raises(ValueError, match='KnowledgeTokenPoseEstimator.*num_tokens'):
        MODELS.build(dict(cfg, num_tokens=0))
    with pytest.raises(ValueError, match='KnowledgeTokenPoseEstimator.*ViTPoseBackbone'):
        MODELS.build(dict(cfg, backbone=dict(cfg['backbone'], out_type='extra_tokens')))
    with pytest.raises(ValueError, match='KnowledgeTokenPoseEstimator.*ViTPoseBackbone.*ResNet'):
        MODELS.build(dict(cfg, backbone=dict(type='ResNet', depth=18)))
    with pytest.raises(ValueError, match="KnowledgeTokenPoseEstimator: the teacher's backbone "
                                         'has num_extra_tokens=1 of its own'):
        MODELS.build(dict(cfg, backbone=dict(cfg['backbone'], num_extra_tokens=1)))
