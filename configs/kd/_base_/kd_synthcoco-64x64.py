# Knowledge-token distillation on the synthetic COCO-keypoints set at 64x64 (CPU-sized): data,
# schedule and runtime shared by the teacher, the student and both distillation stages.
# 64x64 instead of the 128x96 of configs/vitpose/*-128x96.py: a third of the cost per image, so
# a larger teacher and four student variants fit the CPU budget (see the README section).
_base_ = ['mmpose::_base_/default_runtime.py', '../../_base_/synth_coco_topdown.py']

custom_imports = dict(imports=['vitpose_ext'], allow_failed_imports=False)

input_size = (64, 64)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(16, 16), sigma=2)
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform'),
    dict(type='TopdownAffine', input_size=input_size, use_udp=True),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=input_size, use_udp=True),
    dict(type='PackPoseInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

max_epochs = 30
train_cfg = dict(max_epochs=max_epochs, val_interval=10)
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.999), weight_decay=0.1),
    paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0,
                       custom_keys={'pos_embed': dict(decay_mult=0.0)}),
    clip_grad=dict(max_norm=1.0, norm_type=2),
)
param_scheduler = [
    dict(type='LinearLR', begin=0, end=100, start_factor=0.001, by_epoch=False),
    dict(type='MultiStepLR', begin=0, end=max_epochs, milestones=[24, 28], gamma=0.1,
         by_epoch=True),
]
auto_scale_lr = dict(base_batch_size=32)
randomness = dict(seed=0)
default_hooks = dict(
    checkpoint=dict(save_best='coco/AP', rule='greater', max_keep_ckpts=1, interval=5),
    logger=dict(interval=10))

# teacher and student share the preprocessing (the teacher sees the student's batch) and test
preprocessor = dict(
    type='PoseDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True)
pose_test_cfg = dict(flip_test=True, flip_mode='heatmap', shift_heatmap=False)
