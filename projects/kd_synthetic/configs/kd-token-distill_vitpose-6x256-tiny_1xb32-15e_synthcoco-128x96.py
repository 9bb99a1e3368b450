# Knowledge-token distillation ablation: token distillation only (the frozen knowledge token
# appended, the student's processed token supervised by the teacher's); no output distillation.
# Otherwise as kd-token-output_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py (the student
# td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py, the stage-1 teacher).
_base_ = ['./td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py']

model = dict(
    type='TokenDistillPoseEstimator',
    teacher={{_base_.kd_teacher}},
    teacher_checkpoint={{_base_.kd_token_checkpoint}},
    num_tokens=1, loss_output=None, loss_token=dict(type='MSELoss', loss_weight=0.01))
