# Knowledge-token distillation, stage 2, the paper's setting: ViTPose-B (COCO 256x192, reference
# recipe) distilled from the frozen ViTPose-L + knowledge token of
# kd-learn-token_vitpose-l_8xb64-5e_coco-256x192.py, with ground truth + output distillation + token
# distillation (the token is projected 1024 -> 768; the student's processed token, mapped back to
# 1024, is pulled towards the teacher's). Only the student is written to the checkpoints; deploy:
#   python tools/convert_checkpoint.py CKPT OUT --format knowledge-token
# and test OUT with configs/vitpose/td-hm_vitpose-b_8xb64-210e_coco-256x192.py plus
# model.backbone.num_extra_tokens=1.
_base_ = ['../vitpose/_base_/vitpose_coco-256x192.py']  # ViTPose-B

model = dict(
    type='TokenDistillPoseEstimator',
    teacher='{{ fileDirname }}/../vitpose/td-hm_vitpose-l_8xb64-210e_coco-256x192.py',
    teacher_checkpoint='work_dirs/kd-learn-token_vitpose-l_8xb64-5e_coco-256x192/epoch_5.pth',
    num_tokens=1,
    loss_output=dict(type='KeypointMSELoss', use_target_weight=False, loss_weight=1.0),
    # ~0.7x the ground-truth loss at initialisation (64x48 heatmaps), as on the synthetic data
    loss_token=dict(type='MSELoss', loss_weight=1e-3),
)
custom_hooks = [dict(type='SyncBuffersHook')]
