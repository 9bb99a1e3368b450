# ViTPose-B + SimDR at 64x64 input, COCO. Labels as the SimDR paper's 64x64 models (official
# configs): one-hot, k = 3 (192 bins per axis), label smoothing 0.1 (its default), cross entropy.
# Patch 16 with stride 8 and padding 4 gives an 8x8 token grid (stride 16: 4x4) and keeps the
# pre-trained 16x16 patch embedding usable.
_base_ = ['./sa-simdr_vitpose-b_8xb64-210e_coco-256x192.py']

input_size = (64, 64)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=3.0,
             label_type='one_hot', label_smoothing=0.1)
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform'),
    dict(type='TopdownAffine', input_size=input_size),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=input_size),
    dict(type='PackPoseInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
model = dict(
    backbone=dict(img_size=(64, 64), patch_stride=8, patch_padding=4),
    head=dict(in_featuremap_size=(8, 8),
              loss=dict(_delete_=True, type='SimDRCrossEntropyLoss', use_target_weight=True),
              decoder=dict(codec, _delete_=True)))
codec = dict(codec, _delete_=True)  # replaces the base's codec instead of merging into it
