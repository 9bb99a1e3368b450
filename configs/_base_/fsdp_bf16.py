# Sharded training for the large configs: PyTorch FSDP (full shard) through MMEngine's
# FlexibleRunner, each ViT block its own unit, computed in bf16 and recomputed in backward
# (docs/large_models.md). A config adds it to its _base_ list.
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
