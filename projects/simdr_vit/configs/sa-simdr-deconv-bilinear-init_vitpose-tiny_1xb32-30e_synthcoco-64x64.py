# SimDR* (Gaussian labels, sigma 2.25 bins, KL) with both remedies of the 64x64 study: the keypoint
# maps upsampled 8x8 -> 32x32 before the flatten and the readout started as the maps' bilinear
# marginals, as simdr-deconv-bilinear-init_vitpose-tiny_1xb32-30e_synthcoco-64x64.py (k = 3).
_base_ = ['../../../configs/_base_/vitpose-tiny_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

input_size = (64, 64)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=3.0,
             label_type='gaussian', sigma=2.25)
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
        loss=dict(type='KLDiscretLoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True))
