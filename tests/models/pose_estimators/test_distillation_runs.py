"""Both distillation stages through MMEngine's Runner with the models' ``teacher_checkpoint``: the
teacher is loaded by init_weights, before load_from / resume, stage 2 resumes mid-run, checkpoints
hold no teacher, and the student deploys as a plain ViTPose with one extra token."""
import os.path as osp
import re

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

from helpers.common import REPO, Interrupted, loss_halves, tiny_run_cfg, with_joint_error
from vitpose_ext.converters import convert_knowledge_token
from vitpose_ext.utils.checkpoint import load_checkpoint_file

pytestmark = pytest.mark.numerics  # two paths: run in both regimes

KD = osp.join(REPO, 'projects/kd_synthetic/configs')
TOKENS = 'backbone.extra_tokens'  # where stage 1 keeps the knowledge tokens
TEACHER_CFG = osp.join(KD, 'td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py')
STAGE1_CFG = osp.join(KD, 'kd-learn-token_vitpose-6x256_1xb32-5e_synthcoco-128x96.py')
STAGE2_CFG = osp.join(KD, 'kd-token-output_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py')
DEPLOY_CFG = osp.join(KD, 'td-hm_vitpose-tiny-token_1xb32-15e_synthcoco-128x96.py')


def state_of(path):
    return load_checkpoint_file(path, map_location='cpu')['state_dict']


def assert_same(module, state, prefix=''):
    for key, value in module.state_dict().items():
        assert torch.equal(value.cpu(), state[prefix + key]), key


def small_teacher(model_cfg):
    """The shipped teacher (6 layers, width 256) made smaller, to keep the tests fast."""
    model_cfg.backbone.arch = dict(embed_dims=64, num_layers=2, num_heads=2, mlp_ratio=2.0)
    model_cfg.head.in_channels = 64
    return model_cfg


def run_cfg(config, synth_root, work_dir, teacher_checkpoint, max_epochs):
    """``tiny_run_cfg`` with the small teacher, batches of 16, and no validation in training."""
    cfg = tiny_run_cfg(config, synth_root, work_dir, max_epochs=max_epochs)
    cfg.train_dataloader.batch_size = 16
    cfg.train_cfg.val_begin = max_epochs + 1
    if cfg.model.type == 'TokenDistillPoseEstimator':
        cfg.model.teacher = small_teacher(Config.fromfile(TEACHER_CFG).model)
    else:
        small_teacher(cfg.model)
    cfg.model.teacher_checkpoint = str(teacher_checkpoint)
    return cfg


@pytest.fixture(scope='module')
def teacher_checkpoint(tmp_path_factory):
    """A 'trained' teacher: random weights from another seed than the runs' (seed 0), so that
    a teacher re-initialised by the runner would not match it."""
    register_all_modules()
    torch.manual_seed(123)
    model = MODELS.build(small_teacher(Config.fromfile(TEACHER_CFG).model))
    model.init_weights()
    path = tmp_path_factory.mktemp('teacher') / 'teacher.pth'
    torch.save({'state_dict': model.state_dict(), 'meta': {}}, path)
    return path


@pytest.fixture(scope='module')
def stage1(synth_root, teacher_checkpoint, tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('stage1')
    runner = Runner.from_cfg(run_cfg(STAGE1_CFG, synth_root, work_dir, teacher_checkpoint, 1))
    runner.train()
    return runner, work_dir / 'epoch_1.pth'


@pytest.mark.slow
def test_stage1_trains_the_token_on_the_loaded_frozen_teacher(stage1, teacher_checkpoint):
    runner, checkpoint = stage1
    teacher = state_of(teacher_checkpoint)
    saved = state_of(checkpoint)
    # stage 2 loads this file; it is a plain ViTPose with the tokens as extra tokens
    assert set(saved) == set(teacher) | {TOKENS}
    assert_same(runner.model, dict(teacher, **{TOKENS: saved[TOKENS]}))
    log = open(runner.logger.log_file).read()
    assert re.search(r'KnowledgeTokenPoseEstimator: loaded the frozen weights \(\d+ tensors\) '
                     f'from {re.escape(str(teacher_checkpoint))}', log)


@pytest.mark.slow
def test_stage2_resumes_saves_no_teacher_and_deploys_plain(stage1, synth_root, tmp_path):
    _, stage1_checkpoint = stage1
    cfg = run_cfg(STAGE2_CFG, synth_root, tmp_path, stage1_checkpoint, 2)
    cfg.custom_hooks.append(dict(type='InterruptAfterEpoch', epoch=1))
    with pytest.raises(Interrupted):
        Runner.from_cfg(cfg).train()
    assert osp.isfile(tmp_path / 'epoch_1.pth') and not osp.isfile(tmp_path / 'epoch_2.pth')

    cfg = with_joint_error(run_cfg(STAGE2_CFG, synth_root, tmp_path, stage1_checkpoint, 2))
    cfg.resume = True
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.epoch == 2
    log = open(runner.logger.log_file).read()
    assert 'resumed epoch: 1' in log and 'Epoch(train) [1]' not in log
    assert 'missing keys' not in log  # a checkpoint without the teacher is complete
    teacher = state_of(stage1_checkpoint)
    assert f'loaded the frozen weights ({len(teacher) - 1} tensors) from {stage1_checkpoint}' in log
    assert_same(runner.model.teacher, teacher)  # not touched by resume, unchanged by training
    assert torch.equal(runner.model.teacher_tokens, teacher[TOKENS])
    assert not any(m.training for m in runner.model.teacher.modules())

    saved = state_of(tmp_path / 'epoch_2.pth')
    assert not any(k.startswith('teacher.') for k in saved)
    assert {'teacher_tokens', 'token_proj.weight', 'token_head.weight'} <= set(saved)
    # the student learns: the loss of epoch 2 (after the resume) is below epoch 1's (restored
    # with the message hub), mostly the token distillation term
    first, second = loss_halves(runner)
    # ratio 0.66-0.71 over seeds 0-2 in both regimes (README "Tests")
    assert second < first, (first, second)
    student = runner.test()

    plain_checkpoint = tmp_path / 'plain.pth'
    torch.save({'state_dict': convert_knowledge_token(saved)}, plain_checkpoint)
    cfg = tiny_run_cfg(DEPLOY_CFG, synth_root, tmp_path / 'deploy')
    cfg.load_from = str(plain_checkpoint)
    deployed = Runner.from_cfg(with_joint_error(cfg))
    assert type(deployed.model).__name__ == 'TopdownPoseEstimator'
    # the same predictions: the same AP (0 this early) and mean joint error
    assert deployed.test() == pytest.approx(student, abs=1e-6)
