# Knowledge-token distillation, stage 1, the paper's setting: one knowledge token learned on a
# frozen, trained ViTPose-L (configs/vitpose/td-hm_vitpose-l_8xb64-210e_coco-256x192.py, COCO
# 256x192) with the ground-truth heatmap loss for 5 epochs.
# The teacher checkpoint: your own ViTPose-L run, or the official release converted:
#   python tools/convert_checkpoint.py vitpose-l.pth checkpoints/vitpose-l_ext.pth \
#       --format official --config configs/vitpose/td-hm_vitpose-l_8xb64-210e_coco-256x192.py
_base_ = ['../vitpose/td-hm_vitpose-l_8xb64-210e_coco-256x192.py']

model = dict(
    type='KnowledgeTokenPoseEstimator',
    num_tokens=1,
    teacher_checkpoint='checkpoints/vitpose-l_ext.pth',
    backbone=dict(init_cfg=None))  # the weights come from the teacher checkpoint
custom_hooks = [dict(type='SyncBuffersHook')]

train_cfg = dict(max_epochs=5, val_interval=5)
# one (1, 1, 1024) parameter: plain AdamW without weight decay or layer decay (the recipe's
# optimizer replaced as a whole), short warm-up
optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(type='AdamW', lr=5e-4, betas=(0.9, 0.999), weight_decay=0.0),
    clip_grad=dict(max_norm=1.0, norm_type=2),
)
param_scheduler = [dict(type='LinearLR', begin=0, end=100, start_factor=0.01, by_epoch=False)]
