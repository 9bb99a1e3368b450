"""Ground truth through the PCT configs' crop, codec and the estimators' mapping back to the
image comes back where it was: crops and the inverse of the prediction path must agree (stage 1:
its whole ``predict`` with flip test, given an exact reconstruction)."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.structures import InstanceData

import vitpose_ext  # noqa: F401
from config_utils import set_data_root
from helpers.common import REPO
from mmpose.registry import DATASETS, KEYPOINT_CODECS, MODELS

CONFIGS = ['configs/pct/pct-tokenizer_1xb64-60e_synthcoco-128x96.py',
           'configs/pct/pct_vitpose-tiny_1xb32-30e_synthcoco-128x96.py']


class Reconstruct(torch.nn.Module):
    """A tokenizer that reconstructs every pose exactly."""

    def forward(self, joints, weights, guide=None):
        return dict(joints=joints)


@pytest.mark.parametrize('config', CONFIGS)
def test_decoded_ground_truth_lands_on_the_annotation(config, synth_root):
    cfg = set_data_root(Config.fromfile(osp.join(REPO, config)), synth_root)
    init_default_scope('mmpose')
    codec_cfg = next(t['encoder'] for t in cfg.train_dataloader.dataset.pipeline
                     if t['type'] == 'GenerateTarget')
    pipeline = [t for t in cfg.val_dataloader.dataset.pipeline]
    if not any(t['type'] == 'GenerateTarget' for t in pipeline):  # stage 2 tests without targets
        pipeline.insert(-1, dict(type='GenerateTarget', encoder=codec_cfg))
    dataset = DATASETS.build(dict(cfg.val_dataloader.dataset, pipeline=pipeline))
    codec = KEYPOINT_CODECS.build(codec_cfg)
    model_cfg = cfg.model
    model = MODELS.build(model_cfg)  # no init_weights: no checkpoint is read
    if 'tokenizer' in model_cfg:  # stage 1 predicts its reconstructions: make them exact
        model.tokenizer = Reconstruct()
    errors = []
    for i in range(len(dataset)):
        sample = dataset[i]['data_samples']
        if 'tokenizer' in model_cfg:
            (mapped, ) = model.predict(torch.zeros(1), [sample])
        else:
            labels = sample.gt_instance_labels.keypoint_labels.numpy()  # (1, K, 2) in [0, 1]
            keypoints, scores = codec.decode(labels)
            (mapped, ) = model.add_pred_to_datasample(
                [InstanceData(keypoints=keypoints, keypoint_scores=scores)], None, [sample])
        raw = np.array(sample.metainfo['raw_ann_info']['keypoints']).reshape(-1, 3)
        visible = raw[:, 2] > 0
        errors.append(np.abs(mapped.pred_instances.keypoints[0][visible] - raw[visible, :2]))
    assert np.concatenate(errors).max() < 1e-3
