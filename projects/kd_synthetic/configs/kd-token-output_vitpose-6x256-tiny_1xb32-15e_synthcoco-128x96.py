# Knowledge-token distillation, stage 2 (token + output distillation, the paper's L_tod): the tiny
# student of td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py (its model and schedule) with the
# teacher's frozen knowledge token appended (through a trained 256 -> 192 projection), trained with
#   ground truth (loss_kpt) + output distillation (loss_kd_output) + token distillation
#   (loss_kd_token: its processed token, mapped to width 256, against the teacher's).
# The teacher and its token come from the stage-1 checkpoint
# (kd-learn-token_vitpose-6x256_1xb32-5e_synthcoco-128x96.py); they are not saved in this run's
# checkpoints. Deploy as a plain ViTPose with one extra token:
#   python tools/convert_checkpoint.py CKPT OUT --format knowledge-token \
#       --config projects/kd_synthetic/configs/td-hm_vitpose-tiny-token_1xb32-15e_synthcoco-128x96.py
# The kd-* ablations beside it change the distillation losses and tokens.
_base_ = ['./td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py']

model = dict(
    type='TokenDistillPoseEstimator',
    teacher={{_base_.kd_teacher}},
    teacher_checkpoint={{_base_.kd_token_checkpoint}},
    num_tokens=1,
    loss_output=dict(type='KeypointMSELoss', use_target_weight=False, loss_weight=1.0),
    loss_token=dict(type='MSELoss', loss_weight=0.01))
