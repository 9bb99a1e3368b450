# SimDR on the tiny ViTPose at 64x64: the heatmap baseline next to this file with its head and
# codec replaced. Labels as the SimDR paper at 64x64: one-hot, k = 3 (192 bins per axis),
# label smoothing 0.1, cross entropy. TopdownAffine without UDP, as MMPose's SimCC configs: the
# pose estimator maps predictions back to the image with the non-UDP inverse (UDPHeatmap
# compensates for it, SimDRLabel's input-pixel coordinates need the matching crop).
_base_ = ['./td-hm-32x32_vitpose-tiny_1xb32-30e_synthcoco-64x64.py']

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
    head=dict(
        _delete_=True,
        type='SimDRHead',
        in_channels=192,
        out_channels=17,
        in_featuremap_size=(8, 8),
        loss=dict(type='SimDRCrossEntropyLoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(_delete_=True, flip_test=True))
codec = dict(codec, _delete_=True)  # replaces the base's codec instead of merging into it
