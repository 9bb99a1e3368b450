# Knowledge-token distillation ablation: output (heatmap) distillation only into the student
# (td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py). No knowledge token; the teacher is the
# plain trained one (its own checkpoint).
_base_ = ['./td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py']

model = dict(
    type='TokenDistillPoseEstimator',
    teacher='{{ fileDirname }}/td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py',
    teacher_checkpoint='work_dirs/td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96/epoch_30.pth',
    num_tokens=0, loss_token=None,
    loss_output=dict(type='KeypointMSELoss', use_target_weight=False, loss_weight=1.0))
