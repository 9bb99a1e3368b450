"""Merging a ViTPose++ model's experts into a plain single-task ViTPose (the zero-overhead claim)."""
import os.path as osp
import runpy
import warnings

import pytest
import torch
from mmengine.analysis import FlopAnalyzer
from mmengine.config import Config
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

import vitpose_ext  # noqa: F401
from helpers.common import REPO
from vitpose_ext.converters import merge_experts
from vitpose_ext.utils.checkpoint import describe_load, load_checkpoint_file
from vitpose_ext.models.layers.moe_mlp import ROUTINGS

pytestmark = pytest.mark.numerics  # two paths: run in both regimes

DATASETS = ('coco', 'aic', 'ap10k')  # 17, 14, 17 keypoints
T, P, DIM, LAYERS, HIDDEN = 3, 8, 32, 2, 128
BACKBONE = dict(type='ViTPoseBackbone', img_size=(64, 48),
                arch=dict(embed_dims=DIM, num_layers=LAYERS, num_heads=4))
HEAD = dict(type='HeatmapHead', in_channels=DIM, deconv_out_channels=(16, 16),
            deconv_kernel_sizes=(4, 4), loss=dict(type='KeypointMSELoss'))
KEYPOINTS = dict(coco=17, aic=14, ap10k=17)


def randomise(model):
    """Random weights and BN statistics, so that every copied tensor matters."""
    model.init_weights()
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if t.is_floating_point():
                t.add_(torch.randn_like(t) * 0.05)
                if 'running_var' in name:
                    t.abs_()
    return model.eval()


def moe_model(routing='gather_weights'):
    register_all_modules()
    torch.manual_seed(0)
    return randomise(MODELS.build(dict(
        type='MultiTaskTopdownPoseEstimator',
        backbone=dict(BACKBONE, ffn_cfg=dict(type='ViTMoEMlp', num_experts=T, part_features=P,
                                             routing=routing)),
        head=HEAD,
        metainfos=[dict(from_file=f'configs/_base_/datasets/{n}.py') for n in DATASETS])))


def plain_model(num_keypoints):
    register_all_modules()
    return MODELS.build(dict(type='TopdownPoseEstimator', backbone=BACKBONE,
                             head=dict(HEAD, out_channels=num_keypoints))).eval()


def flops(model, x, **kwargs):
    """FLOPs of backbone + head 0 (``kwargs`` go to the backbone)."""
    class Wrapped(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, inputs):
            head = self.model.heads[0] if hasattr(self.model, 'heads') else self.model.head
            return head(self.model.backbone(inputs, **kwargs))

    analyzer = FlopAnalyzer(Wrapped(), (x, ))
    analyzer.unsupported_ops_warnings(False)
    analyzer.uncalled_modules_warnings(False)
    return analyzer.total()


@pytest.mark.parametrize('routing', ROUTINGS)
@pytest.mark.parametrize('t', range(T))
def test_merged_model_outputs_equal_the_moe_models_for_its_data_set(t, routing):
    moe = moe_model(routing)
    plain = plain_model(KEYPOINTS[DATASETS[t]])
    missing, unexpected = plain.load_state_dict(merge_experts(moe.state_dict(), t), strict=False)
    assert (missing, unexpected) == ([], []), describe_load(missing, unexpected)
    x = torch.randn(3, 3, 64, 48)
    with torch.no_grad():
        expected = moe.heads[t](moe.backbone(x, dataset_idx=t))
        merged = plain.head(plain.backbone(x))
        other = moe.heads[t](moe.backbone(x, dataset_idx=(t + 1) % T))
    assert (merged - expected).abs().max() <= 1e-5
    assert (other - expected).abs().max() > 1e-3  # the experts do differ


def test_merged_parameters_and_flops_equal_plain_vitposes():
    moe, plain = moe_model(), plain_model(17)
    merged = merge_experts(moe.state_dict(), 0)
    plain.load_state_dict(merged, strict=True)
    params = {n for n, _ in plain.named_parameters()}
    num_plain = sum(p.numel() for p in plain.parameters())
    assert sum(v.numel() for k, v in merged.items() if k in params) == num_plain
    heads = [sum(p.numel() for p in h.parameters()) for h in moe.heads]
    removed = (T - 1) * LAYERS * (HIDDEN * P + P) + heads[1] + heads[2]
    assert sum(p.numel() for p in moe.parameters()) - removed == num_plain

    # FLOPs counted by MMEngine's analyzer (matmuls, convs; additions are not counted)
    x = torch.randn(2, 3, 64, 48)
    plain_flops = flops(plain, x)
    assert plain_flops > 0 and flops(plain_model(17), x) == plain_flops
    # the MoE model for one data set: as many FLOPs when it gathers each sample's expert
    # weights; T times the expert FLOPs when it runs every expert and gathers outputs
    tokens = 4 * 3
    assert flops(moe, x, dataset_idx=0) == plain_flops
    extra = (T - 1) * LAYERS * x.shape[0] * tokens * HIDDEN * P
    assert flops(moe_model('all_experts'), x, dataset_idx=0) == plain_flops + extra


def test_merged_vitpose_pp_s_loads_into_the_plain_vitpose_s_config():
    register_all_modules()
    pp = Config.fromfile(osp.join(
        REPO, 'configs/vitpose_pp/td-hm_vitpose-pp-s_8xb128-210e_coco-aic-mpii-ap10k-apt36k-'
        'wholebody-256x192.py'))
    plain = Config.fromfile(osp.join(REPO, 'configs/vitpose/td-hm_vitpose-s_8xb64-210e_coco-'
                                     '256x192.py'))
    moe = MODELS.build(pp.model)
    for t in (0, 3, 4):  # COCO, AP-10K and APT-36K have 17 keypoints: the same plain model
        model = MODELS.build(plain.model)
        missing, unexpected = model.load_state_dict(merge_experts(moe.state_dict(), t),
                                                    strict=False)
        assert (missing, unexpected) == ([], []), describe_load(missing, unexpected)


def test_merge_tool(tmp_path, capsys):
    moe = moe_model()
    src, dst = str(tmp_path / 'moe.pth'), str(tmp_path / 'aic.pth')
    torch.save({'state_dict': moe.state_dict(), 'meta': {'dataset_meta': {'x': 1}}}, src)
    tool = runpy.run_path(osp.join(REPO, 'tools/merge_experts.py'))
    with warnings.catch_warnings():  # MMPose's relative metainfo path, read without its search
        warnings.filterwarnings('error', message='The metainfo config file')
        assert tool['main']([src, dst, '--dataset-idx', '1',
                             '--metainfo', 'configs/_base_/datasets/aic.py']) == 0
    ckpt = load_checkpoint_file(str(dst))
    assert ckpt['meta']['dataset_idx'] == 1
    assert ckpt['meta']['dataset_meta']['dataset_name'] == 'aic'
    assert ckpt['state_dict']['head.final_layer.weight'].shape[0] == 14
    assert not any('experts' in k or k.startswith('heads.') for k in ckpt['state_dict'])

    # --config: strict check against the single-task config of the synthetic experiment
    register_all_modules()
    study = osp.join(REPO, 'projects/vitpose_pp_synthetic/configs')
    multi = Config.fromfile(osp.join(
        study, 'td-hm_vitpose-pp-tiny_1xb32-30e_synthcoco-synthquadruped-64x64.py'))
    single = osp.join(study, 'td-hm_vitpose-tiny_1xb32-30e_synthquadruped-64x64.py')
    sd = MODELS.build(multi.model).state_dict()
    torch.save({'state_dict': sd}, src)
    assert tool['main']([src, dst, '--dataset-idx', '1', '--config', single]) == 0
    assert 'all keys matched' in capsys.readouterr().out
    del sd['backbone.norm.weight']
    torch.save({'state_dict': sd}, src)
    assert tool['main']([src, dst, '--dataset-idx', '1', '--config', single]) == 1
    assert '1 missing keys' in capsys.readouterr().out


def test_invalid_data_set_index():
    sd = moe_model().state_dict()
    with pytest.raises(ValueError, match='no head 3'):
        merge_experts(sd, 3)
    no_heads = {k: v for k, v in sd.items() if not k.startswith('heads.')}
    with pytest.raises(ValueError, match='out of range for the 3 experts'):
        merge_experts(no_heads, 3)
