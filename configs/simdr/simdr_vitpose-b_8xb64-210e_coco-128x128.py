# ViTPose-B + SimDR at 128x128 input, COCO. Labels as the SimDR paper's 128x128 models
# (official HRNet-W32 config): one-hot, k = 2 (256 bins per axis), label smoothing 0.2, cross
# entropy. Patch 16, stride 16: an 8x8 token grid.
_base_ = ['./sa-simdr_vitpose-b_8xb64-210e_coco-256x192.py']

input_size = (128, 128)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=2.0,
             label_type='one_hot', label_smoothing=0.2)
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
    backbone=dict(img_size=(128, 128)),
    head=dict(in_featuremap_size=(8, 8),
              loss=dict(_delete_=True, type='SimDRCrossEntropyLoss', use_target_weight=True),
              decoder=dict(codec, _delete_=True)))
codec = dict(codec, _delete_=True)  # replaces the base's codec instead of merging into it
