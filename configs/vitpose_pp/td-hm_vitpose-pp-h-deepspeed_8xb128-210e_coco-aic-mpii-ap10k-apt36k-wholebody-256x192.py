# ViTPose++-H (td-hm_vitpose-pp-h_8xb128-210e_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py) on
# the six data sets with DeepSpeed ZeRO-2 through MMEngine's FlexibleRunner: gradients and AdamW
# state sharded across the GPUs, bf16 compute, every block recomputed in backward. ZeRO-2, not
# 3: a batch without some data set skips its head, and ZeRO-3 gathers parameters module by module
# in the order of the first step. Needs `pip install deepspeed` (GPU only). docs/large_models.md.
_base_ = ['./td-hm_vitpose-pp-h_8xb128-210e_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py',
          '../_base_/deepspeed_bf16.py']

strategy = dict(zero_optimization=dict(stage=2))
# DeepSpeed steps and clips (../_base_/deepspeed_bf16.py): its wrapper around the recipe's AdamW
# with ViTPose++-H's layer-wise lr decay
optim_wrapper = dict(
    _delete_=True,
    type='DeepSpeedOptimWrapper',
    optimizer={{_base_.optim_wrapper.optimizer}},
    constructor={{_base_.optim_wrapper.constructor}},
    paramwise_cfg={{_base_.optim_wrapper.paramwise_cfg}})
# DeepSpeed's activation_checkpointing only configures its own API
model = dict(backbone=dict(with_cp=True))
