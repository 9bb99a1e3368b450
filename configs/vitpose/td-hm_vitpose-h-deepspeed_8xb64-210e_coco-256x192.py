# ViTPose-H (td-hm_vitpose-h_8xb64-210e_coco-256x192.py) with DeepSpeed ZeRO-3 through MMEngine's
# FlexibleRunner: weights, gradients and AdamW state sharded across the GPUs, bf16 compute, every
# block recomputed in backward. Needs `pip install deepspeed` (GPU only). Launch and memory:
# docs/large_models.md.
_base_ = ['./td-hm_vitpose-h_8xb64-210e_coco-256x192.py', '../_base_/deepspeed_bf16.py']

# DeepSpeed steps and clips (../_base_/deepspeed_bf16.py): its wrapper around the recipe's
# AdamW, unfused, with ViTPose-H's layer-wise lr decay
optim_wrapper = dict(
    _delete_=True,
    type='DeepSpeedOptimWrapper',
    optimizer=dict(type='AdamW', lr=5e-4, betas=(0.9, 0.999), weight_decay=0.1),
    constructor={{_base_.optim_wrapper.constructor}},
    paramwise_cfg={{_base_.optim_wrapper.paramwise_cfg}})
# DeepSpeed's activation_checkpointing only configures its own API
model = dict(backbone=dict(with_cp=True))
custom_hooks = [dict(type='SyncBuffersHook')]  # no CompileModulesHook: not tried with DeepSpeed
