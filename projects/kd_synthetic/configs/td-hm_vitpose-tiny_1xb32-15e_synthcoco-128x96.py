# The student of the knowledge-token distillation study, without distillation: the synthetic
# family's tiny ViTPose (configs/_base_/vitpose-tiny_synthcoco.py: 4 layers, width 192, 3 heads,
# classic heatmap head) with truncated-normal initialisation on a 15-epoch schedule, so that four
# students and the teacher fit a CPU budget. The kd-* configs beside it distil the teacher into
# exactly this model and schedule.
_base_ = ['../../../configs/_base_/vitpose-tiny_synthcoco.py']

# the students' 15-epoch schedule (half the family's, lr steps at 12 and 14)
max_epochs = 15
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
param_scheduler = [
    dict(type='LinearLR', begin=0, end=100, start_factor=0.001, by_epoch=False),
    dict(type='MultiStepLR', begin=0, end=max_epochs, milestones=[12, 14], gamma=0.1,
         by_epoch=True),
]

model = dict(backbone=dict(weight_init='trunc_normal'))

# The study's teacher, which the kd-* configs beside this one distil into this student: its
# config, its trained checkpoint and the stage-1 run's (the teacher with its knowledge token,
# kd-learn-token_vitpose-6x256_1xb32-5e_synthcoco-128x96.py). Not used by this config itself.
kd_teacher = '{{ fileDirname }}/td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py'
kd_teacher_checkpoint = 'work_dirs/td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96/epoch_30.pth'
kd_token_checkpoint = 'work_dirs/kd-learn-token_vitpose-6x256_1xb32-5e_synthcoco-128x96/epoch_5.pth'
