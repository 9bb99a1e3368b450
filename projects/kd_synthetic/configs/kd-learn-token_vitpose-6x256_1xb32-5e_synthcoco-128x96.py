# Knowledge-token distillation, stage 1: learn one knowledge token on the frozen, trained teacher
# (td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py, whose model this is) with the ground-truth
# heatmap loss, 5 epochs. Only the token trains; the checkpoint (teacher weights +
# knowledge_token) is stage 2's teacher.
_base_ = ['../../../configs/_base_/vitpose-tiny_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

input_size = (96, 128)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(24, 32), sigma=2)
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=True)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

max_epochs = 5
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
# one (1, 1, 256) parameter: no weight decay (it would pull the token to zero), no lr steps
optim_wrapper = dict(optimizer=dict(weight_decay=0.0), paramwise_cfg=None)
param_scheduler = [dict(type='LinearLR', begin=0, end=50, start_factor=0.01, by_epoch=False)]
custom_hooks = [
    dict(type='LoadTeacherHook',
         checkpoint='work_dirs/td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96/epoch_30.pth'),
    dict(type='SyncBuffersHook'),
]

model = dict(
    type='KnowledgeTokenPoseEstimator',
    num_tokens=1,
    backbone=dict(arch=dict(embed_dims=256, num_layers=6, num_heads=4, mlp_ratio=4.0),
                  weight_init='trunc_normal'),
    head=dict(
        type='HeatmapHead',
        in_channels=256,
        out_channels=17,
        deconv_out_channels=(128, 128),
        deconv_kernel_sizes=(4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=False))
