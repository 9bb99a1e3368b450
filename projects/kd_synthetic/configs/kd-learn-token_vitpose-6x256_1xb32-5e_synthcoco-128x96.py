# Knowledge-token distillation, stage 1: learn one knowledge token on the frozen, trained teacher
# (td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py, whose model this is) with the ground-truth
# heatmap loss, 5 epochs. Only the token trains; the checkpoint (teacher weights + the token as
# backbone.extra_tokens) is stage 2's teacher.
_base_ = ['./td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py']

max_epochs = 5
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
# one (1, 1, 256) parameter: no weight decay (it would pull the token to zero), no lr steps
optim_wrapper = dict(optimizer=dict(weight_decay=0.0), paramwise_cfg=None)
param_scheduler = [dict(type='LinearLR', begin=0, end=50, start_factor=0.01, by_epoch=False)]

model = dict(
    type='KnowledgeTokenPoseEstimator',
    num_tokens=1,
    teacher_checkpoint='work_dirs/td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96/epoch_30.pth')
