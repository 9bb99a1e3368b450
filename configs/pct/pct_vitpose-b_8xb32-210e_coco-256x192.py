# PCT stage 2 on COCO with ViTPose-B: the backbone of a ViTPose-B heatmap model
# (configs/vitpose/td-hm_vitpose-b_8xb64-210e_coco-256x192.py), frozen, at its 256x192 crop;
# the reference classifier head with a stride-2 first basic block, so that the 16x12 ViT
# feature map becomes the 8x6 grid a stride-32 Swin gives (the FC after it stays ~27M params).
#   stage 1: configs/pct/pct-tokenizer_8xb64-50e_coco-256x192.py
_base_ = ['./pct_swin-b_8xb32-210e_coco-256x256.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

backbone_checkpoint = 'work_dirs/td-hm_vitpose-b_8xb64-210e_coco-256x192/epoch_210.pth'
tokenizer_checkpoint = 'work_dirs/pct-tokenizer_8xb64-50e_coco-256x192/epoch_50.pth'

input_size = (192, 256)
codec = dict(type='RegressionLabel', input_size=input_size)
# no UDP: the pose estimator maps predictions back with the non-UDP inverse
train_pipeline, val_pipeline = topdown_pipelines(
    input_size, codec, use_udp=False,
    bbox_transform=dict(shift_factor=0.16, shift_prob=0.3, scale_factor=(0.5, 1.5),
                        rotate_factor=40),
    after_affine=[dict(type='PhotometricDistortion')])
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

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
