# SimDR with both remedies: the keypoint maps upsampled 8x8 -> 32x32 before the flatten
# (simdr-deconv_...) and the readout started as the maps' bilinear marginals
# (simdr-bilinear-init_...): one-hot, k = 3, smoothing 0.1, cross entropy.
_base_ = ['../../../configs/_base_/vitpose-tiny_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

input_size = (64, 64)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=3.0,
             label_type='one_hot', label_smoothing=0.1)
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=False)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

model = dict(
    backbone=dict(img_size=(64, 64), patch_size=16, patch_stride=8, patch_padding=4,
                  weight_init='trunc_normal'),
    head=dict(
        type='SimDRHead',
        in_channels=192,
        out_channels=17,
        in_featuremap_size=(8, 8),
        deconv_out_channels=(128, 128),
        deconv_kernel_sizes=(4, 4),
        readout_init='bilinear',
        loss=dict(type='SimDRCrossEntropyLoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True))
