# Knowledge-token distillation ablation: the paper's literal token distillation. The frozen
# knowledge token is appended (through the trained projection) and the student
# (td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py) trains on the ground truth alone: no
# distillation loss, so the teacher is never run (only its token is read).
_base_ = ['./td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py']

model = dict(
    type='TokenDistillPoseEstimator',
    teacher={{_base_.kd_teacher}},
    teacher_checkpoint={{_base_.kd_token_checkpoint}},
    num_tokens=1, loss_output=None, loss_token=None)
