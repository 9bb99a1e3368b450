# SimDR* (Gaussian labels, KL divergence) on the tiny ViTPose at 64x64. k = 3 as SimDR at this
# size; sigma = MMPose's SimCC sigma (6 bins at k = 2, 256 px high input: 3 px) scaled to a
# 64 px input and k = 3: 6 * 64 / 256 * 3 / 2 = 2.25 bins (0.75 px).
_base_ = ['./simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py']

input_size = (64, 64)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=3.0,
             label_type='gaussian', sigma=2.25)
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
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
model = dict(
    head=dict(loss=dict(_delete_=True, type='KLDiscretLoss', use_target_weight=True),
              decoder=dict(codec, _delete_=True)))
codec = dict(codec, _delete_=True)  # replaces the base's codec instead of merging into it
