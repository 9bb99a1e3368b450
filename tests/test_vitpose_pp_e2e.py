"""ViTPose++ through MMEngine's Runner: train on both synthetic data sets, evaluate each with its
own metric, merge the experts for each data set and evaluate the plain model: same AP."""
import math
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from conftest import REPO, tiny_run_cfg
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
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert type(runner.model.backbone.blocks[0].mlp).__name__ == 'ViTMoEMlp'
    metrics = runner.test()
    assert math.isfinite(metrics['coco/AP']) and math.isfinite(metrics['ap10k/AP'])

    checkpoint = load_checkpoint_file(str(tmp_path / 'moe' / 'epoch_1.pth'))
    for t, (config, root, key) in enumerate(zip(SINGLE, roots, ('coco/AP', 'ap10k/AP'))):
        merged = tmp_path / f'merged_{t}.pth'
        torch.save({'state_dict': merge_experts(checkpoint, t)}, merged)
        single = tiny_run_cfg(config, root, tmp_path / f'single_{t}')
        single.load_from = str(merged)
        assert Runner.from_cfg(single).test()['coco/AP'] == pytest.approx(metrics[key], abs=1e-6)


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
