# SimDR* (Gaussian labels, KL divergence) on the tiny ViTPose at 64x64, otherwise as
# simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py (8x8 maps, the same backbone). k = 3 as SimDR
# at this size; sigma = MMPose's SimCC sigma (6 bins at k = 2, 256 px high input: 3 px) scaled to
# a 64 px input and k = 3: 6 * 64 / 256 * 3 / 2 = 2.25 bins (0.75 px).
_base_ = ['./_base_/simdr_vitpose-tiny_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (64, 64)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=3.0,
             label_type='gaussian', sigma=2.25)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec, use_udp=False)

model = dict(
    backbone=dict(img_size=(64, 64), patch_size=16, patch_stride=8, patch_padding=4,
                  weight_init='trunc_normal'),
    head=dict(in_featuremap_size=(8, 8), loss=dict(type='KLDiscretLoss', use_target_weight=True),
              decoder=codec))
