# The heatmap baseline of the SimDR comparison at 64x64 input: the tiny ViTPose (4 layers,
# dim 192) of configs/vitpose/ with the same data, optimizer and 30-epoch schedule, at 64x64.
# Patch embedding 16x16 with stride 8 and padding 4 gives an 8x8 token grid (stride 16 would
# give 4x4: 16 tokens for 17 keypoints); the classic decoder (2 deconvolutions) makes 32x32
# heatmaps from it. The SimDR configs here start from this one and change only head and codec.
_base_ = ['../vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py']

input_size = (64, 64)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(32, 32), sigma=2)
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform'),
    dict(type='TopdownAffine', input_size=input_size, use_udp=True),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=input_size, use_udp=True),
    dict(type='PackPoseInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
model = dict(
    backbone=dict(img_size=(64, 64), patch_size=16, patch_stride=8, patch_padding=4,
                  weight_init='trunc_normal'),  # the initialisation the reported runs used
    head=dict(decoder=codec))
