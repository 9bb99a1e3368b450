"""MultiTaskTopdownPoseEstimator on real packed samples of the two synthetic data sets."""
import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmpose.datasets.datasets.utils import parse_pose_metainfo
from mmpose.registry import DATASETS, MODELS
from mmpose.utils import register_all_modules

import vitpose_ext  # noqa: F401
from config_utils import set_data_root
from helpers.common import REPO

MOE_CONFIG = osp.join(
    REPO, 'projects/vitpose_pp_synthetic/configs/'
        'td-hm_vitpose-pp-tiny_1xb32-30e_synthcoco-synthquadruped-64x64.py')
COCO_FLIP = parse_pose_metainfo(dict(from_file='configs/_base_/datasets/coco.py'))['flip_indices']
AP10K_FLIP = parse_pose_metainfo(
    dict(from_file='configs/_base_/datasets/ap10k.py'))['flip_indices']


@pytest.fixture(scope='module')
def setup(synth_root, synth_quadruped_root):
    """The (c) config's model and five packed training samples: humans (0) and quadrupeds (1)
    interleaved."""
    register_all_modules()
    cfg = set_data_root(Config.fromfile(MOE_CONFIG), [synth_root, synth_quadruped_root])
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    n = dataset.lens[0]
    torch.manual_seed(0)
    items = [dataset[i] for i in (0, n, 1, n + 1, 2)]
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    return cfg, model, items


def batch(model, items, training=False):
    data = model.data_preprocessor(pseudo_collate(copy.deepcopy(items)), training=training)
    return data['inputs'], data['data_samples']


def test_packed_samples_carry_their_dataset_index(setup):
    _, model, items = setup
    samples = [item['data_samples'] for item in items]
    assert [s.metainfo['dataset_idx'] for s in samples] == [0, 1, 0, 1, 0]
    assert [s.metainfo['dataset_name'] for s in samples] == ['coco', 'ap10k'] * 2 + ['coco']
    # each sample was encoded by its own data set's pipeline: 17 heatmaps of 32x32
    assert all(s.gt_fields.heatmaps.shape == (17, 32, 32) for s in samples)
    # ... while CombinedDataset gave every sample its own metainfo's flip indices (COCO's): the
    # estimator cannot take them from the samples
    assert all(s.metainfo['flip_indices'] == COCO_FLIP for s in samples)
    assert [h.out_channels for h in model.heads] == [17, 17]
    # init_weights() reached the heads: HeatmapHead initialises its convolutions with std 0.001
    assert all(h.final_layer.weight.std() < 0.01 for h in model.heads)


def test_loss_of_a_mixed_batch_weights_each_heads_mean_by_its_share(setup):
    _, model, items = setup
    model.eval()  # no drop path, BN running statistics: per-sample results are batch-independent
    with torch.no_grad():
        mixed = model.loss(*batch(model, items))
        humans = model.loss(*batch(model, items[0::2]))
        quadrupeds = model.loss(*batch(model, items[1::2]))
    for key in ('loss_kpt', 'acc_pose'):
        expected = (3 * humans[key] + 2 * quadrupeds[key]) / 5
        torch.testing.assert_close(mixed[key], expected.to(mixed[key].dtype))
    assert humans['loss_kpt'] != quadrupeds['loss_kpt']


def test_gradients_reach_every_parameter_and_only_the_used_expert_and_head(setup):
    _, model, items = setup
    model.train()
    model.zero_grad()
    model.loss(*batch(model, items, training=True))['loss_kpt'].backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name
    model.zero_grad(set_to_none=True)
    model.loss(*batch(model, items[0::2], training=True))['loss_kpt'].backward()
    grads = dict(model.named_parameters())
    assert all(p.grad is None for n, p in grads.items() if n.startswith('heads.1.'))
    assert grads['heads.0.final_layer.weight'].grad.abs().sum() > 0
    assert grads['backbone.blocks.0.mlp.experts.0.weight'].grad.abs().sum() > 0
    assert torch.count_nonzero(grads['backbone.blocks.0.mlp.experts.1.weight'].grad) == 0


def test_predict_routes_each_sample_to_its_head_with_its_flip_indices(setup):
    _, model, items = setup
    model.eval()
    with torch.no_grad():
        inputs, samples = batch(model, items)
        mixed = model.predict(inputs, samples)
        alone = model.predict(*batch(model, items[1:2]))[0]
    assert len(mixed) == 5 and all(s.pred_instances.keypoints.shape == (1, 17, 2) for s in mixed)
    torch.testing.assert_close(torch.as_tensor(mixed[1].pred_instances.keypoints),
                               torch.as_tensor(alone.pred_instances.keypoints))
    assert [s.metainfo['flip_indices'] for s in mixed] == [COCO_FLIP, AP10K_FLIP] * 2 + [COCO_FLIP]
    # a silenced quadruped head changes the quadrupeds' predictions only
    silenced = copy.deepcopy(model)
    with torch.no_grad():
        silenced.heads[1].final_layer.weight.zero_()
        silenced.heads[1].final_layer.bias.zero_()
        out = silenced.predict(*batch(model, items))
    for i, (a, b) in enumerate(zip(mixed, out)):
        same = (a.pred_instances.keypoint_scores == b.pred_instances.keypoint_scores).all()
        assert same == (i % 2 == 0), i
    assert (out[1].pred_instances.keypoint_scores == 0).all()


def test_missing_or_out_of_range_index_is_a_clear_error(setup):
    _, model, items = setup
    inputs, samples = batch(model, items[:2])
    del samples[1].dataset_idx
    image = samples[1].img_path
    with pytest.raises(ValueError, match=f"sample of {image} .batch position 1. has no "
                       "'dataset_idx'.*SetDatasetIndex.*test_cfg.dataset_idx.*merge_experts"):
        model.loss(inputs, samples)
    model.test_cfg.pop('dataset_idx', None)
    with pytest.raises(ValueError, match="has no 'dataset_idx'"):
        model.predict(inputs, samples)
    samples[1].set_metainfo(dict(dataset_idx=2))
    with pytest.raises(ValueError, match='dataset_idx=2, but there are 2 heads'):
        model.predict(inputs, samples)


def test_heads_take_their_keypoint_count_from_the_metainfo(setup):
    cfg = copy.deepcopy(setup[0].model)
    cfg.metainfos = [dict(from_file=f'configs/_base_/datasets/{n}.py')
                     for n in ('coco', 'aic', 'mpii')]
    cfg.backbone.ffn_cfg.num_experts = 3
    model = MODELS.build(cfg)
    assert [h.out_channels for h in model.heads] == [17, 14, 16]
    with pytest.raises(ValueError, match='head 1 has out_channels=17 but data set 1'):
        MODELS.build(dict(cfg, head=[cfg.head] * 3))  # the template's 17 stated for all
    with pytest.raises(ValueError, match='2 head configs for 3 data sets'):
        MODELS.build(dict(cfg, head=[cfg.head] * 2))


def test_without_an_index_prediction_uses_the_test_cfg_data_set(setup):
    """What MMPose's inferencer gives the model: samples without dataset_idx."""
    _, model, items = setup
    model.eval()
    inputs, samples = batch(model, items[:2])
    for t in (0, 1):
        model.test_cfg['dataset_idx'] = t
        for sample in samples:
            sample.set_metainfo(dict(dataset_idx=t))
        expected = [s.pred_instances.keypoints for s in model.predict(inputs, samples)]
        bare = [s.clone() for s in samples]
        for sample in bare:
            del sample.dataset_idx
        got = [s.pred_instances.keypoints for s in model.predict(inputs, bare)]
        for e, g in zip(expected, got):
            assert (e == g).all()
        assert model.dataset_meta is model.metainfos[t]
