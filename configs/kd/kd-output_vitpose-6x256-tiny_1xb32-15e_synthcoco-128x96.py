# Knowledge-token distillation ablation: output (heatmap) distillation only. No knowledge token;
# the teacher is the plain trained one (its own checkpoint).
_base_ = ['./kd-token-output_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py']

model = dict(num_tokens=0, loss_token=None)
custom_hooks = [
    dict(type='LoadTeacherHook',
         checkpoint='work_dirs/td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96/epoch_30.pth'),
    dict(type='SyncBuffersHook'),
]
