# Knowledge-token distillation ablation: token distillation only (the frozen knowledge token
# appended, the student's processed token supervised by the teacher's); no output distillation.
# Otherwise as kd-token-output_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py (the student
# td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py, the stage-1 teacher).
_base_ = ['./td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py']

model = dict(
    type='TokenDistillPoseEstimator',
    teacher='{{ fileDirname }}/td-hm_vitpose-6x256_1xb32-30e_synthcoco-128x96.py',
    teacher_checkpoint=('work_dirs/kd-learn-token_vitpose-6x256_1xb32-5e_synthcoco-128x96/'
                        'epoch_5.pth'),
    num_tokens=1, loss_output=None, loss_token=dict(type='MSELoss', loss_weight=0.01))
