"""ViTPose++ through MMEngine's Runner: train on both synthetic data sets, evaluate each with its
own metric, merge the experts for each data set: the plain model tests through the runner and
gives the MoE model's heatmaps."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from mmpose.structures import PoseDataSample

from helpers.common import REPO, initial_params, tiny_run_cfg, unmoved
from vitpose_ext.converters import merge_experts
from vitpose_ext.utils.checkpoint import load_checkpoint_file

pytestmark = pytest.mark.slow  # runs through MMEngine's Runner or a subprocess

CONFIGS = osp.join(REPO, 'configs/vitpose_pp')
STUDY = osp.join(REPO, 'projects/vitpose_pp_synthetic/configs')
MOE = osp.join(STUDY, 'td-hm_vitpose-pp-tiny_1xb32-30e_synthcoco-synthquadruped-64x64.py')
SINGLE = [osp.join(STUDY, f'td-hm_vitpose-tiny_1xb32-30e_synth{name}-64x64.py')
          for name in ('coco', 'quadruped')]


@pytest.mark.numerics
def test_train_test_merge_and_test_the_merged_models(synth_root, synth_quadruped_root, tmp_path):
    roots = [synth_root, synth_quadruped_root]
    cfg = tiny_run_cfg(MOE, roots, tmp_path / 'moe', max_epochs=1)
    for dataset in cfg.train_dataloader.dataset.datasets:
        dataset.indices = 16  # 4 iterations of 4 + 4 samples
    cfg.val_dataloader = cfg.val_cfg = cfg.val_evaluator = None  # tested below
    # each data set scored by its own metric; a joint error, as the AP of so short a run is 0
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
    assert {'coco/mean_px', 'ap10k/mean_px'} <= set(metrics)  # each data set its own metric

    checkpoint = load_checkpoint_file(str(tmp_path / 'moe' / 'epoch_1.pth'))
    moe = runner.model.eval()
    inputs = torch.randn(4, 3, 64, 64, generator=torch.Generator().manual_seed(0))
    for t, (config, root) in enumerate(zip(SINGLE, roots)):
        merged = tmp_path / f'merged_{t}.pth'
        torch.save({'state_dict': merge_experts(checkpoint, t)}, merged)
        single = tiny_run_cfg(config, root, tmp_path / f'single_{t}')
        single.load_from = str(merged)
        plain_runner = Runner.from_cfg(single)
        assert 'coco/AP' in plain_runner.test()  # the merged checkpoint tests through the runner
        plain = plain_runner.model.eval()
        moe.test_cfg['dataset_idx'] = t
        with torch.no_grad():
            (expected, ) = moe._forward(inputs, [PoseDataSample() for _ in inputs])
            heatmaps = plain._forward(inputs)
            # the other data set's expert folded in instead: what a wrong merge would give
            wrong = Runner.from_cfg(single).model
            wrong.load_state_dict(merge_experts(checkpoint, 1 - t))
            wrong = wrong.eval()._forward(inputs)
        # The same sums in float32, split differently (shared part + expert in one matrix): a
        # few ulps (2e-9 seen at a largest value of 6e-3 in this short run), so 1e-4 of the
        # largest value; the other data set's expert moves them by about that value itself.
        scale = expected.abs().max().item()
        torch.testing.assert_close(heatmaps, expected, rtol=0, atol=1e-4 * scale)
        assert (wrong - expected).abs().max() > 0.1 * scale


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
    types = ['CheckedCocoDataset', 'CheckedAicDataset', 'CheckedMpiiDataset',
             'CheckedAP10KDataset', 'CheckedAPT36KDataset', 'CheckedCocoWholeBodyDataset']
    for loader in (cfg.train_dataloader, cfg.val_dataloader):
        assert 'dataset_idx' in loader.dataset.pipeline[-1].meta_keys
        for i, dataset in enumerate(loader.dataset.datasets):
            assert dataset.type == types[i]
            assert dataset.pipeline[0] == dict(type='SetDatasetIndex', dataset_idx=i)
    assert [d.type for d in cfg.val_evaluator.datasets] == types
    assert [m.prefix for m in cfg.val_evaluator.metrics] == [
        'coco', 'aic', 'mpii', 'ap10k', 'apt36k', 'coco-wholebody']
