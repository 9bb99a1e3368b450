# ViTPose-B + SimDR at 128x128 input, COCO. Labels as the SimDR paper's 128x128 models
# (official HRNet-W32 config): one-hot, k = 2 (256 bins per axis), label smoothing 0.2, cross
# entropy. Patch 16, stride 16: an 8x8 token grid.
_base_ = ['./_base_/simdr_vitpose_coco-256x192.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (128, 128)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=2.0,
             label_type='one_hot', label_smoothing=0.2)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec, use_udp=False)

model = dict(
    backbone=dict(img_size=(128, 128)),
    head=dict(
        in_featuremap_size=(8, 8),
        loss=dict(type='SimDRCrossEntropyLoss', use_target_weight=True),
        decoder=codec))
