"""The model families and the tiny synthetic config of each (paths from the repository root): the
one table that tools/gpu_check.py trains and the tests build their models from.

``FAMILIES`` holds one config per model family (what a check "of every family" runs through);
``CONFIGS`` adds the other tiny configs the checks use: MMPretrain's ViT baseline, the
distillation teacher, the knowledge-token student as deployed (no teacher), and the
single-data-set configs that ViTPose++'s experts are merged into (0: people, 1: quadrupeds).
``VITPOSE_B`` and ``STOCK_VITPOSE_B`` (under MMPose's installed ``.mim/configs``;
``stock_vitpose_b()`` is its path) are the COCO ViTPose-B configs that the speed tools compare.
"""
VITPOSE_B = 'configs/vitpose/td-hm_vitpose-b_8xb64-210e_coco-256x192.py'
STOCK_VITPOSE_B = ('body_2d_keypoint/topdown_heatmap/coco/'
                   'td-hm_ViTPose-base_8xb64-210e_coco-256x192.py')


def stock_vitpose_b() -> str:
    """The installed path of MMPose's ``STOCK_VITPOSE_B`` (imports mmpose, nothing of this
    package)."""
    import os.path as osp

    import mmpose
    return osp.join(osp.dirname(mmpose.__file__), '.mim', 'configs', STOCK_VITPOSE_B)


FAMILIES = {
    'vitpose': 'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py',
    'vitpose-swin': 'configs/vitpose/td-hm_vitpose-tiny-swin_1xb32-30e_synthcoco-128x96.py',
    'simdr': 'projects/simdr_vit/configs/simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py',
    'simdr-token': 'projects/simdr_vit/configs/'
        'simdr-token_vitpose-tiny_1xb32-30e_synthcoco-64x64.py',
    'pct-tokenizer': 'configs/pct/pct-tokenizer_1xb64-60e_synthcoco-128x96.py',
    'pct': 'configs/pct/pct_vitpose-tiny_1xb32-30e_synthcoco-128x96.py',
    'vitpose-pp': 'projects/vitpose_pp_synthetic/configs/'
        'td-hm_vitpose-pp-tiny_1xb32-30e_synthcoco-synthquadruped-64x64.py',
    'kd-token': 'projects/kd_synthetic/configs/'
        'kd-learn-token_vitpose-6x256_1xb32-5e_synthcoco-128x96.py',
    'kd-student': 'projects/kd_synthetic/configs/'
        'kd-token-output_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py',
}
CONFIGS = dict(FAMILIES, **{
    'baseline': 'configs/baseline/td-hm_mmpretrain-vit-tiny_1xb32-30e_synthcoco-128x96.py',
    'kd-teacher': 'projects/kd_synthetic/configs/'
        'td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py',
    'kd-deployed': 'projects/kd_synthetic/configs/'
        'td-hm_vitpose-tiny-token_1xb32-15e_synthcoco-128x96.py',
    'vitpose-pp-merged-0': 'projects/vitpose_pp_synthetic/configs/'
        'td-hm_vitpose-tiny_1xb32-30e_synthcoco-64x64.py',
    'vitpose-pp-merged-1': 'projects/vitpose_pp_synthetic/configs/'
        'td-hm_vitpose-tiny_1xb32-30e_synthquadruped-64x64.py',
})
