# ViTPose-H on COCO 256x192 with DeepSpeed ZeRO-3 through MMEngine's FlexibleRunner: weights,
# gradients and AdamW state sharded across the GPUs, bf16 compute, every block recomputed in
# backward. The recipe is td-hm_vitpose-h_8xb64-210e_coco-256x192.py's. Needs `pip install
# deepspeed` (GPU only). Launch and memory: docs/large_models.md.
_base_ = ['./_base_/vitpose_coco-256x192.py', '../_base_/deepspeed_bf16.py']

optim_wrapper = dict(
    _delete_=True,
    type='DeepSpeedOptimWrapper',
    optimizer=dict(type='AdamW', lr=5e-4, betas=(0.9, 0.999), weight_decay=0.1),
    constructor='ViTLayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(layer_decay_rate=0.85))
model = dict(
    backbone=dict(
        arch='huge',
        drop_path_rate=0.55,
        with_cp=True,  # DeepSpeed's activation_checkpointing only configures its own API
        init_cfg=dict(type='Pretrained', checkpoint='https://download.openmmlab.com/mmpose/v1/'
                      'pretrained_models/mae_pretrain_vit_huge_20230913.pth')),
    head=dict(in_channels=1280))
custom_hooks = [dict(type='SyncBuffersHook')]  # no CompileModulesHook: not tried with DeepSpeed
