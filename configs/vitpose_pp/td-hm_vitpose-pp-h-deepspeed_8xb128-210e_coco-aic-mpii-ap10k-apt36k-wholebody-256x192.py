# ViTPose++-H on the six data sets with DeepSpeed ZeRO-2 through MMEngine's FlexibleRunner:
# gradients and AdamW state sharded across the GPUs, bf16 compute, every block recomputed in
# backward. The recipe is
# td-hm_vitpose-pp-h_8xb128-210e_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py's. ZeRO-2, not
# 3: a batch without some data set skips its head, and ZeRO-3 gathers parameters module by module
# in the order of the first step. Needs `pip install deepspeed` (GPU only). docs/large_models.md.
_base_ = ['./_base_/vitpose-pp_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py',
          '../_base_/deepspeed_bf16.py']

strategy = dict(zero_optimization=dict(stage=2))
optim_wrapper = dict(
    _delete_=True,
    type='DeepSpeedOptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.999), weight_decay=0.1),
    constructor='ViTLayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(layer_decay_rate=0.8))
model = dict(
    backbone=dict(arch='huge', drop_path_rate=0.55, ffn_cfg=dict(part_features=320),
                  with_cp=True),  # DeepSpeed's activation_checkpointing only configures its API
    head=dict(in_channels=1280))
custom_hooks = [dict(type='SyncBuffersHook')]  # no CompileModulesHook: not tried with DeepSpeed
