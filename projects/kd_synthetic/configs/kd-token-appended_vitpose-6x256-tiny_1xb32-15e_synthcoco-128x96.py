# Knowledge-token distillation ablation: the paper's literal token distillation. The frozen
# knowledge token is appended (through the trained projection) and the student
# (td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py) trains on the ground truth alone: no
# distillation loss, so the teacher is never run (only its token is read).
_base_ = ['./td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py']

model = dict(
    type='TokenDistillPoseEstimator',
    teacher='{{ fileDirname }}/td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py',
    teacher_checkpoint=('work_dirs/kd-learn-token_vitpose-6x256_1xb32-5e_synthcoco-128x96/'
                        'epoch_5.pth'),
    num_tokens=1, loss_output=None, loss_token=None)
