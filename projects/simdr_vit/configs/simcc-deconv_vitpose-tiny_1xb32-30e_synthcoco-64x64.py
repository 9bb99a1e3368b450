# The stock-MMPose row of the SimDR study: MMPose's own SimCCHead, SimCCLabel and KLDiscretLoss
# (as its simcc_res50 configs) on the same tiny ViTPose, data and schedule at 64x64, with two
# deconvolutions (8x8 -> 32x32) before the flatten. sigma 2.25 bins and k = 3 as
# sa-simdr-deconv_vitpose-tiny_1xb32-30e_synthcoco-64x64.py.
_base_ = ['./_base_/simdr_vitpose-tiny_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (64, 64)
codec = dict(type='SimCCLabel', input_size=input_size, sigma=2.25, simcc_split_ratio=3.0)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec, use_udp=False)

model = dict(
    backbone=dict(img_size=(64, 64), patch_size=16, patch_stride=8, patch_padding=4,
                  weight_init='trunc_normal'),
    head=dict(
        type='SimCCHead',
        input_size=input_size,
        in_featuremap_size=(8, 8),
        simcc_split_ratio=3.0,
        deconv_out_channels=(128, 128),
        deconv_kernel_sizes=(4, 4),
        loss=dict(type='KLDiscretLoss', use_target_weight=True),
        decoder=codec))
