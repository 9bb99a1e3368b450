# Knowledge-token distillation, stage 2 (token + output distillation, the paper's L_tod): the tiny
# student of td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py with the teacher's frozen knowledge
# token appended (through a trained 256 -> 192 projection), trained with
#   ground truth (loss_kpt) + output distillation (loss_kd_output) + token distillation
#   (loss_kd_token: its processed token, mapped to width 256, against the teacher's).
# The teacher and its token come from the stage-1 checkpoint
# (kd-learn-token_vitpose-6x256_1xb32-5e_synthcoco-128x96.py); they are not saved in this run's
# checkpoints. Deploy as a plain ViTPose with one extra token:
#   python tools/convert_checkpoint.py CKPT OUT --format knowledge-token \
#       --config projects/kd_synthetic/configs/td-hm_vitpose-tiny-token_1xb32-15e_synthcoco-128x96.py
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
    loss_output=dict(type='KeypointMSELoss', use_target_weight=False, loss_weight=1.0),
    loss_token=dict(type='MSELoss', loss_weight=0.01),
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
