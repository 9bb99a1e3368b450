# simdr_vitpose-b_8xb64-210e_coco-128x128.py at 64x64 input, COCO. Labels as the SimDR paper's
# 64x64 models (official configs): one-hot, k = 3 (192 bins per axis), label smoothing 0.1 (its
# default), cross entropy. Patch 16 with stride 8 and padding 4 gives the same 8x8 token grid
# (stride 16: 4x4) and keeps the pre-trained 16x16 patch embedding usable.
_base_ = ['./simdr_vitpose-b_8xb64-210e_coco-128x128.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (64, 64)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=3.0,
             label_type='one_hot', label_smoothing=0.1)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec, use_udp=False)

model = dict(
    backbone=dict(img_size=(64, 64), patch_stride=8, patch_padding=4), head=dict(decoder=codec))
