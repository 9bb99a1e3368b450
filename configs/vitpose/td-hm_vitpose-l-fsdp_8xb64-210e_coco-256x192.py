# ViTPose-L on COCO 256x192 with every GPU holding 1/N of the model: PyTorch FSDP (full shard)
# through MMEngine's FlexibleRunner, each transformer block its own unit, computed in bf16 and
# recomputed in backward. The recipe is td-hm_vitpose-l_8xb64-210e_coco-256x192.py's. Launch and
# memory: docs/large_models.md.
_base_ = ['./_base_/vitpose_coco-256x192.py']

runner_type = 'FlexibleRunner'
strategy = dict(
    # MMEngine's FSDPStrategy with the optimizer built on whole parameter shapes (weight decay
    # groups as under DDP) and clipping by the norm over all shards (vitpose_ext/engine/strategies)
    type='FSDP1Strategy',
    model_wrapper=dict(
        sharding_strategy='FULL_SHARD',
        use_orig_params=True,  # parameters keep their names: layer-wise lr decay applies
        auto_wrap_policy=dict(type='vit_block_wrap_policy'),
        mixed_precision=dict(param_dtype='bfloat16', reduce_dtype='float32',
                             buffer_dtype='float32')),
    activation_checkpointing=dict(check_fn='vit_block_check_fn'),
    state_dict_cfg='full',  # one checkpoint file with DDP's keys: MMPose's test.py reads it
)
optim_wrapper = dict(type='OptimWrapper', paramwise_cfg=dict(layer_decay_rate=0.8))
model = dict(
    backbone=dict(
        arch='large',
        drop_path_rate=0.5,
        init_cfg=dict(type='Pretrained', checkpoint='https://download.openmmlab.com/mmpose/v1/'
                      'pretrained_models/mae_pretrain_vit_large_20230913.pth')),
    head=dict(in_channels=1024))
custom_hooks = [dict(type='SyncBuffersHook')]  # no CompileModulesHook: not tried with FSDP
