# PCT stage 1 on COCO at 256x192, the crop of ViTPose's heatmap models, for
# pct_vitpose-b_8xb32-210e_coco-256x192.py (a tokenizer normalises joints to its crop, so stage 1
# and stage 2 share the input size).
_base_ = ['./pct-tokenizer_8xb64-50e_coco-256x256.py']

input_size = (192, 256)
codec = dict(type='RegressionLabel', input_size=input_size)
train_pipeline = [
    dict(type='SkipImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform', shift_factor=0.16, shift_prob=0.3, scale_factor=(0.5, 1.5),
         rotate_factor=40),
    dict(type='TopdownAffine', input_size=input_size),  # no UDP: predictions map back without
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseOnlyInputs'),
]
val_pipeline = [
    dict(type='SkipImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=input_size),  # no UDP: predictions map back without
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseOnlyInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
model = dict(codec=codec)
