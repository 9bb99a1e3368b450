"""Decoded ground truth through the evaluation pipeline: for every SimDR / SimCC config, the
codec's labels of the validation crops, given to the head as its logits, must come back to the
annotated keypoints through the head's decoding, MMPose's mapping back to the image and
CocoMetric: AP ~1 at every input size and split ratio the configs use."""
import glob
import os.path as osp
from unittest import mock

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.evaluator import Evaluator
from mmpose.registry import DATASETS
from mmpose.utils import register_all_modules

from config_utils import set_data_root
from helpers.common import REPO, build_uninitialised

HEADS = ('SimDRHead', 'SimDRTokenHead', 'SimCCHead')
CONFIGS = sorted(p for p in glob.glob(f'{REPO}/configs/simdr/*.py')
                 + glob.glob(f'{REPO}/projects/simdr_vit/configs/*.py')
                 if Config.fromfile(p).model.head.type in HEADS)


def test_every_simdr_config_is_checked():
    assert {osp.basename(p).split('_')[0] for p in CONFIGS} >= {
        'simdr', 'sa-simdr', 'simdr-token', 'simdr-deconv', 'simdr-bilinear-init', 'simcc-deconv'}


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_decoded_ground_truth_scores_ap_1(path, synth_root):
    register_all_modules()
    cfg = Config.fromfile(path)
    set_data_root(cfg, synth_root)
    dataset_cfg = cfg.val_dataloader.dataset
    # the synthetic set's files under the COCO configs' names, ground-truth boxes
    dataset_cfg.update(ann_file='annotations/person_keypoints_val.json', bbox_file=None,
                       data_prefix=dict(img='val/'))
    cfg.val_evaluator.ann_file = osp.join(synth_root, dataset_cfg.ann_file)
    # the validation pipeline with the codec's targets before packing
    dataset_cfg.pipeline = dataset_cfg.pipeline[:-1] + [
        dict(type='GenerateTarget', encoder=cfg.codec), dataset_cfg.pipeline[-1]]
    dataset = DATASETS.build(dataset_cfg)
    model = build_uninitialised(cfg.model)  # the head's forward is replaced
    model.test_cfg = dict(model.test_cfg, flip_test=False)
    evaluator = Evaluator(cfg.val_evaluator)
    evaluator.dataset_meta = dataset.metainfo
    batch = pseudo_collate([dataset[i] for i in range(len(dataset))])
    samples = batch['data_samples']
    labels = [s.gt_instance_labels for s in samples]
    # log labels as logits, shifted positive: softmax ignores the shift, and MMPose's SimCC
    # decoding marks keypoints whose maximum logit is <= 0 as missing
    logits = tuple(torch.cat([g[key] for g in labels]).clamp(min=1e-9).log() + 30
                   for key in ('keypoint_x_labels', 'keypoint_y_labels'))
    with mock.patch.object(model, 'extract_feat', lambda inputs: None), \
            mock.patch.object(model.head, 'forward', lambda feats: logits):
        results = model.predict(None, samples)
    evaluator.process(results, batch)
    metrics = evaluator.evaluate(len(dataset))
    assert metrics['coco/AP'] > 0.99, metrics
