"""PCT through MMEngine's Runner: stage 1 trains the tokenizer from keypoints alone, stage 2
loads its checkpoint and a backbone checkpoint, trains the classifier head with both frozen,
and tests; a frozen non-ViT backbone (BN) stays untouched too."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from mmpose.registry import MODELS

from helpers.common import REPO, loss_halves, pose_samples, tiny_run_cfg
from vitpose_ext.utils.checkpoint import load_checkpoint_file

STAGE1 = osp.join(REPO, 'configs/pct/pct-tokenizer_1xb64-60e_synthcoco-128x96.py')
STAGE2 = osp.join(REPO, 'configs/pct/pct_vitpose-tiny_1xb32-30e_synthcoco-128x96.py')
TOKENIZER = dict(num_tokens=8, codebook_size=64, token_dim=32,
                 encoder=dict(num_blocks=1, hidden_dim=64, token_hidden=16, channel_hidden=64))


@pytest.mark.slow
@pytest.mark.numerics
def test_two_stage_run_through_the_runner(synth_root, tmp_path):
    cfg1 = tiny_run_cfg(STAGE1, synth_root, tmp_path / 'stage1')
    cfg1.model.tokenizer.update(TOKENIZER)
    runner = Runner.from_cfg(cfg1)
    runner.train()
    # the tokenizer learns within its one epoch: the reconstruction loss of the second half of
    # the iterations is well below the first half's (about 27 against 49)
    first, second = loss_halves(runner)
    # ratio 0.55-0.63 over seeds 0-2 in both regimes (README "Tests")
    assert second < 0.8 * first, (first, second)
    stage1_ckpt = str(tmp_path / 'stage1' / 'epoch_1.pth')
    tokenizer = {k[len('tokenizer.'):]: v for k, v in
                 load_checkpoint_file(stage1_ckpt)['state_dict'].items()
                 if k.startswith('tokenizer.')}

    cfg2 = tiny_run_cfg(STAGE2, synth_root, tmp_path / 'stage2')
    model = MODELS.build(cfg2.model)  # a "heatmap model" backbone checkpoint
    backbone_ckpt = str(tmp_path / 'backbone.pth')
    torch.save(dict(state_dict={f'backbone.{k}': v + 0.01
                                for k, v in model.backbone.state_dict().items()}),
               backbone_ckpt)
    cfg2.model.backbone_checkpoint = backbone_ckpt
    cfg2.model.head.tokenizer.update(TOKENIZER)
    cfg2.model.head.tokenizer_checkpoint = stage1_ckpt
    runner = Runner.from_cfg(cfg2)
    runner.train()
    assert type(runner.model).__name__ == 'FrozenBackbonePoseEstimator'
    for k, v in runner.model.head.tokenizer.state_dict().items():
        assert torch.equal(v, tokenizer[k]), k
    for k, v in runner.model.backbone.state_dict().items():
        assert torch.equal(v, model.backbone.state_dict()[k] + 0.01), k
    # the classifier learns to predict the frozen tokenizer's tokens: the token loss falls
    # steadily (the joint loss through the untrained classifier does not yet)
    first, second = loss_halves(runner, 'train/loss_token')
    # ratio 0.77-0.88 over seeds 0-2 in both regimes (README "Tests")
    assert second < first, (first, second)
    assert 'coco/AP' in runner.test()  # the test loop runs end to end (AP is 0 this early)


def resnet_stage2(**kwargs):
    cfg = Config.fromfile(STAGE2)
    head = cfg.model.head
    head.tokenizer.update(TOKENIZER)
    head.update(in_channels=64, in_featuremap_size=(4, 4), tokenizer_checkpoint=None)
    return MODELS.build(dict(
        type='FrozenBackbonePoseEstimator', head=head,
        backbone=dict(type='ResNet', depth=18, num_stages=1, out_indices=(0, ), strides=(2, ),
                      dilations=(1, )), **kwargs))


def test_a_backbone_file_that_does_not_fit_is_refused(tmp_path):
    state = resnet_stage2().backbone.state_dict()
    del state['conv1.weight']
    path = str(tmp_path / 'heatmap.pth')
    torch.save(dict(state_dict={f'backbone.{k}': v for k, v in state.items()}), path)
    model = resnet_stage2(backbone_checkpoint=path)
    with pytest.raises(ValueError, match=r'FrozenBackbonePoseEstimator: .*heatmap\.pth does not '
                       r'fit .*missing keys.*conv1\.weight'):
        model.init_weights()


def test_the_tokenizer_guide_backbone_loads_frozen_from_its_checkpoint(tmp_path):
    resnet = dict(type='ResNet', depth=18, num_stages=1, out_indices=(0, ), strides=(2, ),
                  dilations=(1, ))
    cfg = Config.fromfile(STAGE1).model
    cfg.tokenizer.update(TOKENIZER, guide_channels=64)
    trained = MODELS.build(resnet).state_dict()
    path = str(tmp_path / 'heatmap.pth')
    torch.save(dict(state_dict={f'backbone.{k}': v + 1 for k, v in trained.items()}), path)
    model = MODELS.build(dict(cfg, guide_backbone=resnet, guide_checkpoint=path))
    model.init_weights()
    for k, v in model.guide_backbone.state_dict().items():
        assert torch.equal(v, trained[k] + 1), k
    assert not any(p.requires_grad for p in model.guide_backbone.parameters())
    assert any(p.requires_grad for p in model.tokenizer.parameters())
    with pytest.raises(ValueError, match='PCTTokenizerEstimator: guide_checkpoint given, but no '
                                         'guide_backbone'):
        MODELS.build(dict(cfg, guide_checkpoint=path))


def test_frozen_resnet_backbone_keeps_its_batch_norm_statistics():
    model = resnet_stage2()
    model.init_weights()
    model.train()
    before = {k: v.clone() for k, v in model.backbone.state_dict().items()}
    samples = pose_samples(4)
    losses = model.loss(torch.randn(4, 3, 32, 32), samples)
    (losses['loss_token'] + losses['loss_joint']).backward()
    assert all(p.grad is None for p in model.backbone.parameters())
    assert model.head.classifier.weight.grad is not None
    for k, v in model.backbone.state_dict().items():
        assert torch.equal(before[k], v), k
