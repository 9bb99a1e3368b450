# Knowledge-token distillation, stage 1: learn one knowledge token on the frozen, trained teacher
# (td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py) with the ground-truth heatmap loss, 5 epochs.
# Only the token trains; the checkpoint (teacher weights + knowledge_token) is stage 2's teacher.
#   mim train mmpose configs/kd/td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py   # the teacher
#   mim train mmpose configs/kd/kd-learn-token_vitpose-6x256_1xb32-5e_synthcoco-128x96.py  # this
_base_ = ['./td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py']

model = dict(type='KnowledgeTokenPoseEstimator', num_tokens=1)
custom_hooks = [
    dict(type='LoadTeacherHook',
         checkpoint='work_dirs/td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96/epoch_30.pth'),
    dict(type='SyncBuffersHook'),
]

max_epochs = 5
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
# one (1, 1, 256) parameter: no weight decay (it would pull the token to zero), no lr steps
optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.999), weight_decay=0.0),
    clip_grad=dict(max_norm=1.0, norm_type=2),
)
param_scheduler = [dict(type='LinearLR', begin=0, end=50, start_factor=0.01, by_epoch=False)]
