# Knowledge-token distillation ablation: output (heatmap) distillation only into the student
# (td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py). No knowledge token; the teacher is the
# plain trained one (its own checkpoint).
_base_ = ['./td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py']

model = dict(
    type='TokenDistillPoseEstimator',
    teacher={{_base_.kd_teacher}},
    teacher_checkpoint={{_base_.kd_teacher_checkpoint}},
    num_tokens=0, loss_token=None,
    loss_output=dict(type='KeypointMSELoss', use_target_weight=False, loss_weight=1.0))
