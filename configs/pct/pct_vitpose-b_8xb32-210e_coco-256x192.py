# PCT stage 2 on COCO with ViTPose-B: the backbone of a ViTPose-B heatmap model
# (configs/vitpose/td-hm_vitpose-b_8xb64-210e_coco-256x192.py), frozen, at its 256x192 crop;
# the reference classifier head with a stride-2 first basic block, so that the 16x12 ViT
# feature map becomes the 8x6 grid a stride-32 Swin gives (the FC after it stays ~27M params).
#   stage 1: configs/pct/pct-tokenizer_8xb64-50e_coco-256x192.py
_base_ = ['./pct_swin-b_8xb32-210e_coco-256x256.py']
from vitpose_ext.utils.pipelines import topdown_loaders

backbone_checkpoint = 'work_dirs/td-hm_vitpose-b_8xb64-210e_coco-256x192/epoch_210.pth'
tokenizer_checkpoint = 'work_dirs/pct-tokenizer_8xb64-50e_coco-256x192/epoch_50.pth'

input_size = (192, 256)
codec = dict(type='RegressionLabel', input_size=input_size)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(
    input_size, codec, **_base_.pipeline_args)  # the recipe's augmentation

model = dict(
    backbone_checkpoint=backbone_checkpoint,
    backbone=dict(
        _delete_=True,
        type='ViTPoseBackbone',
        arch='base',
        img_size=(256, 192),
        patch_size=16,
        patch_padding=2,
        drop_path_rate=0.3),
    head=dict(
        in_channels=768,
        in_featuremap_size=(12, 16),
        conv_stride=2,
        tokenizer_checkpoint=tokenizer_checkpoint,
        decoder=codec),
)
