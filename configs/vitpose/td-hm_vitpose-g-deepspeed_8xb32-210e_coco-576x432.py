# ViTPose-G (ViT-g, about 1B parameters; size choices as td-hm_vitpose-g-fsdp_8xb32-210e_coco-576x432.py)
# on COCO 576x432 (td-hm_vitpose-b_8xb64-210e_coco-576x432.py at size G) with DeepSpeed ZeRO-3
# through MMEngine's FlexibleRunner: weights, gradients and AdamW state sharded across the GPUs,
# bf16 compute, every block recomputed in backward. Needs `pip install deepspeed` (GPU only).
# docs/large_models.md.
_base_ = ['./td-hm_vitpose-b_8xb64-210e_coco-576x432.py', '../_base_/deepspeed_bf16.py']

train_dataloader = dict(batch_size=32)
# DeepSpeed steps and clips (../_base_/deepspeed_bf16.py): its wrapper around the recipe's
# AdamW, unfused; G's layer-wise lr decay
optim_wrapper = dict(
    _delete_=True,
    type='DeepSpeedOptimWrapper',
    optimizer=dict(type='AdamW', lr=5e-4, betas=(0.9, 0.999), weight_decay=0.1),
    constructor={{_base_.optim_wrapper.constructor}},
    paramwise_cfg=dict(layer_decay_rate=0.9))
model = dict(
    # with_cp: DeepSpeed's activation_checkpointing only configures its own API
    backbone=dict(arch='giant', drop_path_rate=0.6, init_cfg=None, with_cp=True),
    head=dict(in_channels=1408))
custom_hooks = [dict(type='SyncBuffersHook')]  # no CompileModulesHook: not tried with DeepSpeed
