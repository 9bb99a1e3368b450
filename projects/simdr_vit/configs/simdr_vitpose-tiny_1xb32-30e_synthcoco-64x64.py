# SimDR on the tiny ViTPose at 64x64 (8x8 token grid): SimDRHead reads each keypoint's 8x8 map
# (1x1 convolution) through two linear layers. Labels as the SimDR paper at 64x64: one-hot,
# k = 3 (192 bins per axis), label smoothing 0.1, cross entropy. Patch 16 with stride 8 and
# padding 4 (stride 16: 4x4 tokens); truncated-normal initialisation, as the reported runs.
_base_ = ['./_base_/simdr_vitpose-tiny_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (64, 64)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=3.0,
             label_type='one_hot', label_smoothing=0.1)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec, use_udp=False)

model = dict(
    backbone=dict(img_size=(64, 64), patch_size=16, patch_stride=8, patch_padding=4,
                  weight_init='trunc_normal'),
    head=dict(in_featuremap_size=(8, 8),
              loss=dict(type='SimDRCrossEntropyLoss', use_target_weight=True), decoder=codec))
