# ViTPose + SimDR on COCO: the ViTPose recipe (configs/vitpose/_base_/, ViTPose-B) with the
# heatmap decoder replaced by SimDRHead on the 16x12 patch grid (1x1 conv to 17 maps, flatten,
# linear to x and y; no deconvolution). At 256x192 SimDR* (Gaussian labels, KL divergence) with
# the figures of MMPose's SimCC configs: k = 2 (384 x 512 bins), sigma 6 bins (3 px).
# TopdownAffine without UDP, as MMPose's SimCC configs: the pose estimator maps predictions back
# to the image with the non-UDP inverse, which matches SimDRLabel's input-pixel coordinates.
_base_ = ['../../vitpose/_base_/vitpose_coco-256x192.py']

input_size = (192, 256)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=2.0,
             label_type='gaussian', sigma=6.0)
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
    head=dict(
        _delete_=True,
        type='SimDRHead',
        in_channels=768,
        out_channels=17,
        in_featuremap_size=(12, 16),
        loss=dict(type='KLDiscretLoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(_delete_=True, flip_test=True))
codec = dict(codec, _delete_=True)  # replaces the base's codec instead of merging into it
