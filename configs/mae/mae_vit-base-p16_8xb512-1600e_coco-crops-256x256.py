# MAE pre-training of a ViT-B on person crops of COCO (ViTPose's pre-training-data flexibility:
# pose data instead of ImageNet). mmpretrain's MAE (MAEViT encoder, 75% of the patches masked,
# light decoder, normalised-pixel L2 loss) trained by the stock runner on crops that MMPose's
# top-down transforms cut around every annotated person.
#
# MAE's decoder and loss assume square inputs, so crops are square; fine-tuning at 256x192
# initialises ViTPoseBackbone from the checkpoint through `init_cfg` and interpolates the 16x16
# position grid to 16x12 (see configs/vitpose/td-hm_vitpose-tiny-mae_1xb32-30e_synthcoco-128x96.py).
_base_ = ['../_base_/default_runtime.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

data_root = '{{$VITPOSE_DATA_ROOT:data}}/coco/'
crop_size = 256
max_epochs = 1600
train_cfg = dict(by_epoch=True, max_epochs=max_epochs)
val_cfg = None  # self-supervised: nothing to validate
test_cfg = None
val_dataloader = None
val_evaluator = None
test_dataloader = None
test_evaluator = None

# MMPose's top-down crop around each person (no half-body crops, no targets); the crop is square
train_pipeline = topdown_pipelines((crop_size, crop_size), codec=None, use_udp=False,
                                   half_body=False,
                                   bbox_transform=dict(scale_factor=(0.7, 1.3), rotate_factor=20))[0]
train_dataloader = dict(
    batch_size=512,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),  # MAE's data preprocessor wants stacked images
    dataset=dict(
        type='CheckedCocoDataset',
        data_root=data_root,
        data_mode='topdown',  # one sample per annotated person
        ann_file='annotations/person_keypoints_train2017.json',
        data_prefix=dict(img='train2017/'),
        pipeline=train_pipeline,
    ))

model = dict(
    type='mmpretrain.MAE',
    data_preprocessor=dict(
        type='mmpretrain.SelfSupDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    backbone=dict(type='mmpretrain.MAEViT', arch='b', img_size=crop_size, patch_size=16, mask_ratio=0.75),
    neck=dict(
        type='mmpretrain.MAEPretrainDecoder',
        num_patches=(crop_size // 16)**2,
        patch_size=16,
        in_chans=3,
        embed_dim=768,
        decoder_embed_dim=512,
        decoder_depth=8,
        decoder_num_heads=16,
        mlp_ratio=4.0),
    head=dict(
        type='mmpretrain.MAEPretrainHead',
        norm_pix=True,
        patch_size=16,
        loss=dict(type='mmpretrain.PixelReconstructionLoss', criterion='L2')),
    init_cfg=[
        dict(type='Xavier', layer='Linear', distribution='uniform'),
        dict(type='Constant', layer='LayerNorm', val=1.0, bias=0.0),
    ])

# MAE's recipe: AdamW, lr 1.5e-4 per 256 images, betas (0.9, 0.95), wd 0.05 except norms, biases
# and tokens; 40 warm-up epochs then cosine decay.
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1.5e-4 * 4096 / 256, betas=(0.9, 0.95), weight_decay=0.05),
    paramwise_cfg=dict(custom_keys={
        'ln': dict(decay_mult=0.0),
        'bias': dict(decay_mult=0.0),
        'pos_embed': dict(decay_mult=0.0),
        'mask_token': dict(decay_mult=0.0),
        'cls_token': dict(decay_mult=0.0),
    }))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=40,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 40, by_epoch=True, begin=40,
         end=max_epochs, convert_to_iter_based=True),
]
auto_scale_lr = dict(base_batch_size=4096)
default_hooks = dict(
    checkpoint=dict(type='CheckpointHook', interval=20, max_keep_ckpts=2),
    logger=dict(interval=50))
