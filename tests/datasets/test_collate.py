"""shared_pseudo_collate: pseudo_collate's batch, with each field's tensors in one block."""
import os.path as osp

import numpy as np
import pytest
import torch
from helpers.common import REPO, tiny_run_cfg
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import FUNCTIONS
from mmengine.structures import InstanceData, PixelData
from mmpose.models.data_preprocessors import PoseDataPreprocessor
from mmpose.structures import PoseDataSample

from vitpose_ext.datasets import shared_pseudo_collate


def sample(seed, num_keypoints=17):
    """A packed top-down training sample as PackPoseInputs makes it."""
    g = torch.Generator().manual_seed(seed)
    s = PoseDataSample(metainfo=dict(input_size=(48, 64), id=seed))
    s.gt_instances = InstanceData(keypoints=np.full((1, num_keypoints, 2), seed, np.float32),
                                  bboxes=np.zeros((1, 4), np.float32))
    s.gt_instance_labels = InstanceData(keypoint_weights=torch.rand(1, num_keypoints,
                                                                    generator=g))
    s.gt_fields = PixelData(heatmaps=torch.rand(num_keypoints, 16, 12, generator=g))
    return dict(inputs=torch.randint(0, 255, (3, 64, 48), dtype=torch.uint8, generator=g),
                data_samples=s)


def storages(tensors):
    return {t.untyped_storage().data_ptr() for t in tensors}


def assert_same_batch(a, b):
    assert type(a['inputs']) is type(b['inputs']) is list
    for x, y in zip(a['inputs'], b['inputs'], strict=True):
        assert torch.equal(x, y) and x.dtype == y.dtype
    for s, t in zip(a['data_samples'], b['data_samples'], strict=True):
        assert type(s) is type(t) and s.metainfo == t.metainfo
        assert torch.equal(s.gt_fields.heatmaps, t.gt_fields.heatmaps)
        assert torch.equal(s.gt_instance_labels.keypoint_weights,
                           t.gt_instance_labels.keypoint_weights)
        np.testing.assert_array_equal(s.gt_instances.keypoints, t.gt_instances.keypoints)


def items(*keypoint_counts):
    """Fresh samples (the collate functions set fields of the samples they are given)."""
    return [sample(i, k) for i, k in enumerate(keypoint_counts)]


def test_same_batch_as_pseudo_collate_in_one_block_per_field():
    ours, stock = shared_pseudo_collate(items(*[17] * 5)), pseudo_collate(items(*[17] * 5))
    assert_same_batch(ours, stock)
    assert len(storages(ours['inputs'])) == 1
    assert len(storages(s.gt_fields.heatmaps for s in ours['data_samples'])) == 1
    assert len(storages(s.gt_instance_labels.keypoint_weights for s in ours['data_samples'])) == 1
    assert len(storages(stock['inputs'])) == 5  # what it improves on
    # the data preprocessor gives the model the same batch
    pre = PoseDataPreprocessor(mean=[1, 2, 3], std=[4, 5, 6], bgr_to_rgb=True)
    a, b = pre(ours, training=True), pre(stock, training=True)
    assert torch.equal(a['inputs'], b['inputs'])
    assert [s.metainfo for s in a['data_samples']] == [s.metainfo for s in b['data_samples']]


def test_fields_that_differ_between_samples_stay_apart():
    """ViTPose++ batches mix data sets with different keypoint counts."""
    ours = shared_pseudo_collate(items(17, 14, 17))
    assert_same_batch(ours, pseudo_collate(items(17, 14, 17)))
    assert len(storages(s.gt_fields.heatmaps for s in ours['data_samples'])) == 3
    assert len(storages(ours['inputs'])) == 1  # the images still share one block


def test_one_block_reaches_the_main_process_through_a_worker():
    sent = items(*[17] * 8)

    class Items(torch.utils.data.Dataset):
        def __len__(self):
            return len(sent)

        def __getitem__(self, i):
            return sent[i]

    loader = torch.utils.data.DataLoader(Items(), batch_size=8, num_workers=1,
                                         collate_fn=FUNCTIONS.get('shared_pseudo_collate'))
    batch = next(iter(loader))
    assert_same_batch(batch, pseudo_collate(items(*[17] * 8)))
    assert len(storages(batch['inputs'])) == 1
    assert len(storages(s.gt_fields.heatmaps for s in batch['data_samples'])) == 1


def test_the_coco_configs_use_it():
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/vitpose/td-hm_vitpose-b_8xb64-210e_coco-256x192.py'))
    assert cfg.train_dataloader.collate_fn == dict(type='shared_pseudo_collate')


@pytest.mark.slow
def test_the_runner_trains_the_same_with_it(synth_root, tmp_path):
    """Two epochs of the tiny ViTPose through MMEngine's Runner (one loader worker): the same
    losses with either collate function, to the last bit."""
    from mmengine.runner import Runner

    from model_families import FAMILIES
    losses = {}
    for collate in ('pseudo_collate', 'shared_pseudo_collate'):
        cfg = tiny_run_cfg(osp.join(REPO, FAMILIES['vitpose']), synth_root, tmp_path / collate, 2)
        cfg.train_dataloader.num_workers = 1
        cfg.train_dataloader.collate_fn = dict(type=collate)
        cfg.train_cfg.val_interval = 2
        runner = Runner.from_cfg(cfg)
        runner.train()
        losses[collate] = runner.message_hub.get_scalar('train/loss').data[0]
    assert len(losses['pseudo_collate']) >= 6
    np.testing.assert_array_equal(losses['shared_pseudo_collate'], losses['pseudo_collate'])


def test_batches_that_are_not_dicts_are_pseudo_collates():
    batch = [(torch.ones(2), 1), (torch.zeros(2), 2)]
    ours, stock = shared_pseudo_collate(batch), pseudo_collate(batch)
    assert type(ours) is type(stock) is list and list(ours[1]) == list(stock[1]) == [1, 2]
    assert all(torch.equal(a, b) for a, b in zip(ours[0], stock[0]))
