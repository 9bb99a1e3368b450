# ViTPose-L on COCO 256x192 with DeepSpeed ZeRO-2 through MMEngine's FlexibleRunner: gradients and
# AdamW state sharded across the GPUs, bf16 compute, every block recomputed in backward. The recipe
# is td-hm_vitpose-l_8xb64-210e_coco-256x192.py's. Needs `pip install deepspeed` (GPU only). Launch
# and memory: docs/large_models.md.
_base_ = ['./_base_/vitpose_coco-256x192.py', '../_base_/deepspeed_bf16.py']

strategy = dict(zero_optimization=dict(stage=2))
optim_wrapper = dict(
    _delete_=True,
    type='DeepSpeedOptimWrapper',
    optimizer=dict(type='AdamW', lr=5e-4, betas=(0.9, 0.999), weight_decay=0.1),
    constructor='ViTLayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(layer_decay_rate=0.8))
model = dict(
    backbone=dict(
        arch='large',
        drop_path_rate=0.5,
        with_cp=True,  # DeepSpeed's activation_checkpointing only configures its own API
        init_cfg=dict(type='Pretrained', checkpoint='https://download.openmmlab.com/mmpose/v1/'
                      'pretrained_models/mae_pretrain_vit_large_20230913.pth')),
    head=dict(in_channels=1024))
custom_hooks = [dict(type='SyncBuffersHook')]  # no CompileModulesHook: not tried with DeepSpeed
