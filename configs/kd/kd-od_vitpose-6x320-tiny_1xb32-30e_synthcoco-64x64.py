# Knowledge-token distillation ablation: output (heatmap) distillation only. No knowledge token;
# the teacher is the plain trained one (its own checkpoint).
_base_ = ['./kd-tod_vitpose-6x320-tiny_1xb32-30e_synthcoco-64x64.py']

model = dict(num_tokens=0, loss_token=None)
custom_hooks = [
    dict(type='LoadTeacherHook',
         checkpoint='work_dirs/td-hm_vitpose-6x320_1xb32-60e_synthcoco-64x64/epoch_60.pth'),
]
