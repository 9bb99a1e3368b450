"""ViTPose++ through MMEngine's Runner: train on both synthetic data sets, evaluate each with its
own metric, merge the experts for each data set and evaluate the plain model: the same
predictions."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from helpers.common import REPO, initial_params, tiny_run_cfg, unmoved, with_joint_error
from vitpose_ext.converters import merge_experts
from vitpose_ext.utils.checkpoint import load_checkpoint_file

pytestmark = pytest.mark.slow  # runs through MMEngine's Runner or a subprocess

CONFIGS = osp.join(REPO, 'configs/vitpose_pp')
STUDY = osp.join(REPO, 'projects/vitpose_pp_synthetic/configs')
MOE = osp.join(STUDY, 'td-hm_vitpose-pp-tiny_1xb32-30e_synthcoco-synthquadruped-64x64.py')
SINGLE = [osp.join(STUDY, f'td-hm_vitpose-tiny_1xb32-30e_synth{name}-64x64.py')
          for name in ('coco', 'quadruped')]


def test_train_test_merge_and_test_the_merged_models(synth_root, synth_quadruped_root, tmp_path):
    roots = [synth_root, synth_quadruped_root]
    cfg = tiny_run_cfg(MOE, roots, tmp_path / 'moe', max_epochs=1)
    for dataset in cfg.train_dataloader.dataset.datasets:
        dataset.indices = 16  # 4 iterations of 4 + 4 samples
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None  # tested below
    # the AP of so short a run is 0: each data set's mean joint error tells the models apart
    cfg.test_evaluator.metrics = [dict(type='JointErrorMetric', prefix=m.prefix)
                                  for m in cfg.test_evaluator.metrics]
    runner = Runner.from_cfg(cfg)
    initial = initial_params(runner)
    runner.train()
    assert type(runner.model.backbone.blocks[0].mlp).__name__ == 'ViTMoEMlp'
    # Too short to show learning; but every parameter moved: each data set's expert and head
    # got the gradients of its own samples in the mixed batches
    assert not unmoved(runner.model, initial)
    metrics = runner.test()

    checkpoint = load_checkpoint_file(str(tmp_path / 'moe' / 'epoch_1.pth'))
    for t, (config, root, prefix) in enumerate(zip(SINGLE, roots, ('coco', 'ap10k'))):
        merged = tmp_path / f'merged_{t}.pth'
        torch.save({'state_dict': merge_experts(checkpoint, t)}, merged)
        single = with_joint_error(tiny_run_cfg(config, root, tmp_path / f'single_{t}'))
        single.load_from = str(merged)
        plain = Runner.from_cfg(single).test()['joint_error/mean_px']
        # equal up to rounding, which may flip a near-tied heatmap maximum of this untrained
        # model (~0.005 px on the mean); merging the other data set's expert moves it by ~10 px
        assert plain == pytest.approx(metrics[f'{prefix}/mean_px'], rel=1e-3)


@pytest.mark.parametrize('size, dims, part', [('s', 384, 192), ('b', 768, 192), ('l', 1024, 256),
                                               ('h', 1280, 320)])
def test_reference_mix_configs_keep_the_data_set_order(size, dims, part):
    cfg = Config.fromfile(osp.join(CONFIGS, f'td-hm_vitpose-pp-{size}_8xb128-210e_coco-aic-mpii-'
                                   'ap10k-apt36k-wholebody-256x192.py'))
    assert cfg.model.backbone.ffn_cfg == dict(type='ViTMoEMlp', num_experts=6,
                                              part_features=part)
    assert cfg.model.head.in_channels == dims
    names = [osp.basename(m['from_file']) for m in cfg.model.metainfos]
    assert names == ['coco.py', 'aic.py', 'mpii.py', 'ap10k.py', 'ap10k.py', 'coco_wholebody.py']
    types = ['CocoDataset', 'AicDataset', 'MpiiDataset', 'AP10KDataset', 'APT36KDataset',
             'CocoWholeBodyDataset']
    for loader in (cfg.train_dataloader, cfg.val_dataloader):
        assert 'dataset_idx' in loader.dataset.pipeline[-1].meta_keys
        for i, dataset in enumerate(loader.dataset.datasets):
            assert dataset.type == types[i]
            assert dataset.pipeline[0] == dict(type='SetDatasetIndex', dataset_idx=i)
    assert [d.type for d in cfg.val_evaluator.datasets] == types
    assert [m.prefix for m in cfg.val_evaluator.metrics] == [
        'coco', 'aic', 'mpii', 'ap10k', 'apt36k', 'coco-wholebody']
