# DeepSpeed ZeRO-3 for the large configs through MMEngine's FlexibleRunner, bf16 compute
# (docs/large_models.md; `pip install deepspeed`, GPU only). A config adds it to its _base_ list,
# sets `optim_wrapper` to a DeepSpeedOptimWrapper (no clip_grad) and the backbone's with_cp
# (DeepSpeed's activation_checkpointing only configures its own API); ZeRO-2 configs set
# strategy = dict(zero_optimization=dict(stage=2)).
runner_type = 'FlexibleRunner'
strategy = dict(
    type='DeepSpeedStrategy',
    zero_optimization=dict(stage=3, overlap_comm=True, contiguous_gradients=True),
    bf16=dict(enabled=True),
    inputs_to_half=['inputs'],  # the images in the weights' dtype
    gradient_clipping=1.0,  # clip_grad of the DDP recipe, done by DeepSpeed
)
