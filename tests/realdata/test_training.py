"""Training learns on real images, through MMPose's own tools/train.py and tools/test.py: the tiny
ViTPose overfits the four real COCO images (12 annotated people), and ViTPose++ with the tiny ViT
learns the six real samples at once with the multi-source sampler, each data set scored by its
own metric in one evaluation; the trained models beat the untrained ones by margins measured over
seeds (VITPOSE_TEST_SEED 0, 1, 2)."""
import glob
import json
import os
import os.path as osp

import pytest
import torch
from mmengine.registry import init_default_scope

from helpers.common import TEST_SEED, run_script

pytestmark = [pytest.mark.realdata, pytest.mark.slow]

TINY = 'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py'
EPOCHS, REPEAT = 10, 25  # 10 epochs of the 12 people 25 times: 250 iterations of 12
AUGMENT = ('RandomFlip', 'RandomHalfBody', 'RandomBBoxTransform')


def coco_sample_cfg(cfg, root, work_dir):
    """``cfg`` (in place) training on the real COCO sample without the random flips, half-body
    crops and box jitter (to overfit: learn these 12 people), with a constant learning rate,
    and validating on the same images with their ground-truth boxes."""
    coco = dict(data_root=f'{root}/coco/', ann_file='annotations/person_keypoints_val2017.json',
                data_prefix=dict(img='val2017/'))
    train = cfg.train_dataloader
    train.dataset.update(coco, pipeline=without_augmentation(train.dataset.pipeline))
    train.dataset = dict(type='RepeatDataset', times=REPEAT, dataset=train.pop('dataset'))
    train.update(batch_size=12, num_workers=0, persistent_workers=False)
    cfg.val_dataloader.dataset.update(coco, bbox_file=None)
    cfg.val_dataloader.update(num_workers=0, persistent_workers=False)
    cfg.test_dataloader = cfg.val_dataloader
    cfg.val_evaluator = cfg.test_evaluator = dict(
        type='CocoMetric', ann_file=f'{root}/coco/annotations/person_keypoints_val2017.json')
    return short_run(cfg, EPOCHS, work_dir, log_interval=5)


def without_augmentation(pipeline):
    """The training pipeline without its random flips, half-body crops and box jitter."""
    return [t for t in pipeline if t.type not in AUGMENT]


def short_run(cfg, epochs, work_dir, log_interval):
    """``cfg`` (in place) a run of ``epochs`` at a constant learning rate, validated and saved
    once at its end, seeded with TEST_SEED, into ``work_dir``."""
    cfg.train_cfg.update(max_epochs=epochs, val_interval=epochs)
    cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=True)]
    cfg.default_hooks.checkpoint.update(interval=epochs, save_best=None)
    cfg.default_hooks.logger.interval = log_interval
    cfg.randomness = dict(seed=TEST_SEED)
    cfg.work_dir = str(work_dir)
    return cfg


def scalars(work_dir):
    """The lines of the runner's json log of the one run under ``work_dir``."""
    (stamp,) = [d for d in os.listdir(work_dir) if osp.isdir(osp.join(work_dir, d))]
    (path,) = glob.glob(osp.join(work_dir, stamp, '**', f'{stamp}.json'), recursive=True)
    with open(path) as f:
        return [json.loads(line) for line in f]


def untrained_metrics(cfg, config, tmp_path):
    """tools/test.py's metrics of the model of ``cfg`` as initialised, seeded as the run is."""
    from mmpose.registry import MODELS
    init_default_scope('mmpose')
    torch.manual_seed(TEST_SEED)
    model = MODELS.build(cfg.model)
    model.init_weights()
    untrained = str(tmp_path / 'untrained.pth')
    torch.save({'state_dict': model.state_dict()}, untrained)
    run_script('tools/test.py', config, untrained, '--work-dir', str(tmp_path / 'test_untrained'))
    (metrics,) = [s for s in scalars(tmp_path / 'test_untrained') if 'coco/AP' in s]
    return metrics


def train_and_measure(cfg, tmp_path):
    """(metrics of the untrained model, metrics after training, mean training loss of the first
    and of the second half of the iterations) of ``cfg`` written to a file and run by
    tools/test.py and tools/train.py."""
    config = str(tmp_path / 'config.py')
    cfg.dump(config)
    before = untrained_metrics(cfg, config, tmp_path)
    run_script('tools/train.py', config)
    lines = scalars(cfg.work_dir)
    losses = [s['loss'] for s in lines if 'loss' in s]
    (after,) = [s for s in lines if 'coco/AP' in s]
    half = len(losses) // 2
    return before, after, (sum(losses[:half]) / half, sum(losses[half:]) / (len(losses) - half))


@pytest.mark.numerics
def test_tiny_vitpose_overfits_the_real_coco_images(real_config, realdata_root, tmp_path):
    cfg = coco_sample_cfg(real_config(TINY), realdata_root, tmp_path / 'train')
    before, after, (first, second) = train_and_measure(cfg, tmp_path)
    # measured, seeds 0 / 1 / 2: loss ratio 0.030 / 0.030 / 0.050, AP 0 -> 0.851 / 0.867 / 0.834
    # (0.850 for seed 0 in the second numeric regime)
    assert second < 0.2 * first, (first, second)
    assert after['coco/AP'] > before['coco/AP'] + 0.5, (before, after)


VITPOSE_PP = ('configs/vitpose_pp/'
              'td-hm_vitpose-pp-s_8xb128-210e_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py')
PP_EPOCHS = 30
PP_METRICS = ('coco/AP', 'aic/AP', 'mpii/PCK', 'ap10k/AP', 'apt36k/AP', 'coco-wholebody/AP')


def vitpose_pp_sample_cfg(cfg, work_dir):
    """The ViTPose++ config (in place) with the tiny ViT, trained on all six real samples with
    the multi-source sampler (two people of each data set in every batch of 12), without
    augmentation and with a constant learning rate; validated on the same images with their
    ground-truth boxes, each data set by its own metric."""
    cfg.model.backbone.update(arch=dict(embed_dims=192, num_layers=4, num_heads=3,
                                        mlp_ratio=4.0), drop_path_rate=0.1,
                              ffn_cfg=dict(cfg.model.backbone.ffn_cfg, part_features=48))
    cfg.model.head.update(in_channels=192, deconv_out_channels=(128, 128))
    train = cfg.train_dataloader
    for d in train.dataset.datasets:
        d.pipeline = without_augmentation(d.pipeline)
    train.update(batch_size=12, num_workers=0, persistent_workers=False,
                 sampler=dict(type='EpochMultiSourceSampler', batch_size=12,
                              source_ratio=[1] * len(train.dataset.datasets)))
    for d in cfg.val_dataloader.dataset.datasets:
        d.bbox_file = None
    cfg.val_dataloader.update(num_workers=0, persistent_workers=False)
    cfg.test_dataloader = cfg.val_dataloader
    return short_run(cfg, PP_EPOCHS, work_dir, log_interval=1)


def test_vitpose_pp_learns_six_real_data_sets_at_once(real_config, tmp_path):
    """(Not in the second numeric regime's CI run, for time: 75 s here, 110 s on one thread;
    run by hand in it, seed 0, passing.)"""
    cfg = vitpose_pp_sample_cfg(real_config(VITPOSE_PP), tmp_path / 'train')
    before, after, (first, second) = train_and_measure(cfg, tmp_path)
    # measured, seeds 0 / 1 / 2: loss ratio 0.67 / 0.66 / 0.69; MPII PCKh 0 / 1.5 / 4.5 -> 97 /
    # 88 / 94, AP-10K and APT-36K AP 0 -> 1.0 (one animal per image); COCO AP 0.03 / 0.03 /
    # 0.13, AIC 0.03 / 0.01 / 0.01, WholeBody 0 / 0 / 0.01 after 120 iterations (not asserted)
    assert second < 0.8 * first, (first, second)
    # each data set scored by its own metric in the one evaluation
    assert set(PP_METRICS) <= set(after), sorted(after)
    assert after['mpii/PCK'] > before['mpii/PCK'] + 50, (before, after)
    for key in ('ap10k/AP', 'apt36k/AP'):
        assert after[key] > before[key] + 0.5, (key, before, after)
