# The student of the knowledge-token distillation experiments, without distillation: the tiny
# ViTPose (4 layers, width 192, 3 heads) of configs/vitpose/*-128x96.py on a 15-epoch schedule
# (half of it, lr steps at 12 and 14), so that four students and the teacher fit a CPU budget.
# The kd-* configs distil the teacher into exactly this model and schedule.
_base_ = ['../vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py']

max_epochs = 15
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
param_scheduler = [
    dict(type='LinearLR', begin=0, end=100, start_factor=0.001, by_epoch=False),
    dict(type='MultiStepLR', begin=0, end=max_epochs, milestones=[12, 14], gamma=0.1,
         by_epoch=True),
]
model = dict(backbone=dict(weight_init='trunc_normal'))  # as in the reported runs
