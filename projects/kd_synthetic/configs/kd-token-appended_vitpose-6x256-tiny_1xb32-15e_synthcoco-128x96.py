# Knowledge-token distillation ablation: the paper's literal token distillation. The frozen
# knowledge token is appended (through the trained projection) and the student trains on the
# ground truth alone: no distillation loss, so the teacher is never run (only its token is read).
_base_ = ['../../../configs/_base_/vitpose-tiny_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

input_size = (96, 128)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(24, 32), sigma=2)
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=True)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

# the students' 15-epoch schedule (half the family's, lr steps at 12 and 14)
max_epochs = 15
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
param_scheduler = [
    dict(type='LinearLR', begin=0, end=100, start_factor=0.001, by_epoch=False),
    dict(type='MultiStepLR', begin=0, end=max_epochs, milestones=[12, 14], gamma=0.1,
         by_epoch=True),
]
custom_hooks = [
    dict(type='LoadTeacherHook',
         checkpoint='work_dirs/kd-learn-token_vitpose-6x256_1xb32-5e_synthcoco-128x96/epoch_5.pth'),
    dict(type='SyncBuffersHook'),
]

model = dict(
    type='TokenDistillPoseEstimator',
    teacher='{{ fileDirname }}/td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py',
    num_tokens=1,
    loss_output=None,
    loss_token=None,
    backbone=dict(weight_init='trunc_normal'),
    head=dict(
        type='HeatmapHead',
        in_channels=192,
        out_channels=17,
        deconv_out_channels=(128, 128),
        deconv_kernel_sizes=(4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=False))
