"""Stage 2 of knowledge-token distillation: losses, gradients, the frozen teacher, checkpoints."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.optim import OptimWrapper
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

from fake_data import fake_pose_batch
from helpers.common import REPO, tiny_vitpose_cfg

register_all_modules()
TOKENS = 'backbone.extra_tokens'  # where stage 1 keeps the knowledge tokens

TEACHER = tiny_vitpose_cfg(dims=48, num_layers=3, num_heads=3)
OUTPUT = dict(type='KeypointMSELoss', use_target_weight=False, loss_weight=1.0)
TOKEN = dict(type='MSELoss', loss_weight=1e-3)


def stage1_state(teacher=TEACHER, num_tokens=1):
    """A stage-1 checkpoint's state dict: teacher weights + non-trivial knowledge tokens."""
    torch.manual_seed(1)
    model = MODELS.build(dict(teacher, type='KnowledgeTokenPoseEstimator', num_tokens=num_tokens))
    model.init_weights()
    with torch.no_grad():
        model.backbone.extra_tokens.normal_()
    return model.state_dict()


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Each test in its own folder: the checkpoints ``stage1_checkpoint`` writes."""
    monkeypatch.chdir(tmp_path)


def stage1_checkpoint(state=None, name='stage1.pth'):
    """``state`` (default ``stage1_state()``) saved as a checkpoint in the test's folder."""
    torch.save({'state_dict': stage1_state() if state is None else state, 'meta': {}}, name)
    return osp.abspath(name)


def student(load=True, student_cfg=None, **kw):
    """The student, built and initialised; with ``load`` its ``teacher_checkpoint`` (default a
    stage-1 checkpoint) is loaded by ``init_weights()``."""
    kw = dict(dict(teacher=TEACHER, num_tokens=1, loss_output=OUTPUT, loss_token=TOKEN), **kw)
    if load:
        kw.setdefault('teacher_checkpoint', stage1_checkpoint())
    torch.manual_seed(0)
    model = MODELS.build(dict(student_cfg or tiny_vitpose_cfg(), type='TokenDistillPoseEstimator',
                              **kw))
    model.init_weights()
    return model


def losses_of(model):
    data = model.data_preprocessor(fake_pose_batch(), True)
    return model(**data, mode='loss')


@pytest.mark.parametrize('kw, keys', [
    (dict(num_tokens=0, loss_output=None, loss_token=None), set()),
    (dict(num_tokens=0, loss_token=None), {'loss_kd_output'}),
    (dict(loss_output=None, loss_token=None), set()),  # token appended only (paper's form)
    (dict(loss_output=None), {'loss_kd_token'}),
    (dict(), {'loss_kd_output', 'loss_kd_token'}),
])
def test_losses_of_each_variant(kw, keys):
    losses = losses_of(student(**kw))
    assert set(losses) == {'loss_kpt', 'acc_pose'} | keys
    assert all(torch.isfinite(v) and v > 0 for k, v in losses.items() if k.startswith('loss'))


def test_gradients_reach_every_trainable_parameter_and_never_the_teacher():
    model = student()
    model.train()
    losses = losses_of(model)
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    assert {n.split('.')[0] for n, _ in trainable} == {'backbone', 'head', 'token_proj',
                                                       'token_head'}
    for name, p in trainable:
        assert p.grad is not None and p.grad.abs().sum() > 0, name
    for name, p in model.teacher.named_parameters():
        assert not p.requires_grad and p.grad is None, name
    assert 'teacher_tokens' in dict(model.named_buffers())  # frozen: a buffer, not a parameter


def test_the_teacher_stays_frozen_and_in_eval_mode_through_training_steps():
    model = student()
    teacher = {k: v.clone() for k, v in model.teacher.state_dict().items()}
    token = model.teacher_tokens.clone()
    proj = model.token_proj.weight.detach().clone()
    optim = OptimWrapper(torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1))
    model.train()
    assert model.backbone.training and not any(m.training for m in model.teacher.modules())
    for _ in range(2):
        model.train_step(fake_pose_batch(), optim)
    for key, value in model.teacher.state_dict().items():
        assert torch.equal(value, teacher[key]), key
    assert torch.equal(model.teacher_tokens, token)
    assert not torch.equal(model.token_proj.weight, proj)  # the projection trains


@pytest.mark.numerics
def test_a_student_equal_to_its_teacher_has_zero_distillation_losses():
    """The teacher runs on the same preprocessed batch with the same token as the student."""
    model = student(student_cfg=TEACHER)
    assert isinstance(model.token_proj, torch.nn.Identity)
    own = {k: v for k, v in stage1_state().items() if k != TOKENS}
    model.load_state_dict(own, strict=False)
    model.eval()  # no drop path: both networks deterministic
    losses = losses_of(model)
    assert losses['loss_kd_output'] == 0 and losses['loss_kd_token'] == 0
    assert losses['loss_kpt'] > 0


def test_checkpoints_leave_the_teacher_out_unless_asked():
    model = student()
    keys = set(model.state_dict())
    assert not any(k.startswith('teacher.') for k in keys)
    assert {'teacher_tokens', 'token_proj.weight', 'token_head.weight'} <= keys
    # a state dict without the teacher loads strictly: the teacher comes from teacher_checkpoint
    fresh = student(load=False)
    fresh.load_state_dict(model.state_dict(), strict=True)
    assert torch.equal(fresh.teacher_tokens, model.teacher_tokens)
    asked = student(save_teacher=True)
    teacher_keys = {k for k in asked.state_dict() if k.startswith('teacher.')}
    assert teacher_keys == {'teacher.' + k for k in asked.teacher.state_dict()}
    with pytest.raises(RuntimeError, match='Missing key.*teacher'):
        student(load=False, save_teacher=True).load_state_dict(model.state_dict(), strict=True)


def test_without_a_teacher_the_student_predicts_the_same():
    model = student()
    model.eval()
    alone = student(load=False, teacher=None, token_dims=48, loss_output=None, loss_token=None)
    alone.load_state_dict(model.state_dict(), strict=False)
    alone.eval()
    assert alone.teacher is None
    x = torch.randn(2, 3, 64, 64)
    assert torch.equal(alone._forward(x), model._forward(x))


def test_init_weights_loads_the_frozen_teacher_and_its_token_and_checks_them():
    state = stage1_state()
    model = MODELS.build(dict(tiny_vitpose_cfg(), type='TokenDistillPoseEstimator',
                              teacher=TEACHER, teacher_checkpoint=stage1_checkpoint(state),
                              loss_output=OUTPUT, loss_token=TOKEN))  # reads no file
    assert not torch.equal(model.teacher_tokens, state[TOKENS])
    model.init_weights()
    assert torch.equal(model.teacher_tokens, state[TOKENS])
    for key, value in model.teacher.state_dict().items():
        assert torch.equal(value, state[key]), key
    assert not any(p.requires_grad for p in model.teacher.parameters())
    assert not any(m.training for m in model.teacher.modules())
    plain = stage1_checkpoint({k: v for k, v in state.items() if k != TOKENS}, 'plain.pth')
    with pytest.raises(ValueError, match=r'TokenDistillPoseEstimator: .*plain\.pth holds no '
                                         r'backbone\.extra_tokens'):
        student(teacher_checkpoint=plain)
    student(teacher_checkpoint=plain, num_tokens=0, loss_token=None)  # output KD only
    with pytest.raises(ValueError, match=r'backbone\.extra_tokens of shape .*stage1\.pth'):
        student(num_tokens=2)
    other = stage1_checkpoint(stage1_state(tiny_vitpose_cfg()), 'other.pth')  # width 32, not 48
    with pytest.raises(ValueError, match=r'TokenDistillPoseEstimator: .*other\.pth does not fit'):
        student(teacher_checkpoint=other)


def test_construction_is_checked():
    with pytest.raises(ValueError, match='TokenDistillPoseEstimator.*no teacher model'):
        student(load=False, teacher=None, token_dims=48, loss_output=None, loss_token=None,
                teacher_checkpoint='stage1.pth')
    with pytest.raises(ValueError, match='TokenDistillPoseEstimator.*need a teacher'):
        student(load=False, teacher=None, token_dims=48)
    with pytest.raises(ValueError, match='TokenDistillPoseEstimator.*num_tokens > 0'):
        student(load=False, num_tokens=0)
    with pytest.raises(ValueError, match='TokenDistillPoseEstimator.*token_dims'):
        student(load=False, teacher=None, loss_output=None, loss_token=None)
    other = dict(TEACHER, data_preprocessor=dict(TEACHER['data_preprocessor'], mean=[0, 0, 0]))
    with pytest.raises(ValueError, match='TokenDistillPoseEstimator.*same mean'):
        student(load=False, teacher=other)


def test_teacher_from_a_config_file():
    path = osp.join(REPO, 'projects/kd_synthetic/configs/'
        'td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py')
    model = student(load=False, student_cfg=None, teacher=path)
    assert model.teacher.backbone.embed_dims == 256 and model.teacher_tokens.shape == (1, 1, 256)
    assert model.token_proj.in_features == 256 and model.token_proj.out_features == 32



SIMDR_CODEC = dict(type='SimDRLabel', input_size=(64, 64), simcc_split_ratio=2.0, sigma=2.0)
SIMDR_HEAD = dict(type='SimDRHead', in_channels=32, out_channels=17, in_featuremap_size=(4, 4),
                  deconv_out_channels=(16, ), deconv_kernel_sizes=(4, ),
                  loss=dict(type='KLDiscretLoss'), decoder=SIMDR_CODEC)
PCT_CODEC = dict(type='RegressionLabel', input_size=(64, 64))
PCT_HEAD = dict(type='PCTHead', in_channels=32, in_featuremap_size=(4, 4), conv_channels=8,
                conv_num_blocks=1, conv_stride=2, num_blocks=1, hidden_dim=16, token_hidden=8,
                channel_hidden=16, decoder=PCT_CODEC, tokenizer=dict(
                    type='PCTTokenizer', num_keypoints=17, num_tokens=6, codebook_size=32,
                    token_dim=16,
                    encoder=dict(num_blocks=1, hidden_dim=32, token_hidden=16, channel_hidden=32),
                    decoder=dict(num_blocks=1, hidden_dim=16, token_hidden=16, channel_hidden=16)))


SIMDR_1X1_HEAD = dict(SIMDR_HEAD, deconv_out_channels=None, deconv_kernel_sizes=None)


@pytest.mark.parametrize('head, codec', [(SIMDR_HEAD, SIMDR_CODEC), (SIMDR_1X1_HEAD, SIMDR_CODEC),
                                         (PCT_HEAD, PCT_CODEC)],
                         ids=['SimDRHead-deconv', 'SimDRHead-1x1', 'PCTHead'])
def test_token_distillation_works_with_heads_without_heatmaps(head, codec):
    """Token-only distillation never reads heatmaps: heads that give none train with it; output
    distillation, which compares heatmaps, is refused at construction, also for a SimDRHead
    whose 1x1 ``final_layer`` gives keypoint maps that are no heatmaps."""
    from mmpose.registry import KEYPOINT_CODECS
    student_cfg = dict(tiny_vitpose_cfg(), head=head)
    model = student(student_cfg=student_cfg, loss_output=None)
    codec = KEYPOINT_CODECS.build(codec)
    batch = fake_pose_batch()
    rng = np.random.default_rng(0)
    for sample in batch['data_samples']:
        labels = codec.encode(rng.uniform(2, 62, (1, 17, 2)), np.ones((1, 17), np.float32))
        for key, value in labels.items():
            sample.gt_instance_labels.set_field(torch.as_tensor(value), key)
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')
    assert {'loss_kd_token'} < set(losses)
    assert all(torch.isfinite(v) and v > 0 for k, v in losses.items() if k.startswith('loss'))
    refused = (r'TokenDistillPoseEstimator: output distillation .* the {} needs a HeatmapHead, '
               r'not a {}').format
    with pytest.raises(ValueError, match=refused('student', head['type'])):
        student(student_cfg=student_cfg, load=False)
    teacher = dict(TEACHER, head=dict(head, in_channels=48))
    with pytest.raises(ValueError, match=refused('teacher', head['type'])):
        student(teacher=teacher, load=False)
