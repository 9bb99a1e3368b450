# PCT stage 2 on COCO, reference-like: Swin-B (mmpretrain's; the reference uses its own SwinV2
# variant) at 256x256 from a heatmap model, frozen; the classifier head of the reference
# (1x1 conv to 256 channels, 2 basic blocks, FC to 34 x 64, 4 Mixer blocks, 2048-way
# classifier), soft lookup into the frozen stage-1 tokenizer; cross entropy on the tokens +
# smooth-L1 on the joints (weights 1, 1); AdamW lr 8e-4, wd 0.05, cosine over 210 epochs with a
# 500-iteration warm-up, 32 images x 8 GPUs; flip test; keypoint score = mean top-1 logit.
# The reference also applies ColorJitter and GridDropout (albumentations, not installed here:
# add dict(type='Albumentation', transforms=[...]) after TopdownAffine if you have it).
#   stage 1: configs/pct/pct-tokenizer_8xb64-50e_coco-256x256.py
_base_ = ['../_base_/default_runtime.py', '../_base_/coco_topdown.py',
          './_base_/pct-tokenizer_coco.py']
from vitpose_ext.utils.pipelines import topdown_loaders

backbone_checkpoint = 'work_dirs/td-hm_swin-b_coco-256x256/best_coco_AP.pth'  # a heatmap model
tokenizer_checkpoint = 'work_dirs/pct-tokenizer_8xb64-50e_coco-256x256/epoch_50.pth'

input_size = (256, 256)
codec = dict(type='RegressionLabel', input_size=input_size)
# no UDP: the pose estimator maps predictions back with the non-UDP inverse
pipeline_args = dict(
    use_udp=False,
    bbox_transform=dict(shift_factor=0.16, shift_prob=0.3, scale_factor=(0.5, 1.5), rotate_factor=40),
    after_affine=[dict(type='PhotometricDistortion')])
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec, **pipeline_args)
train_dataloader.update(batch_size=32)

max_epochs = 210
train_cfg = dict(max_epochs=max_epochs, val_interval=10)
optim_wrapper = dict(optimizer=dict(type='AdamW', lr=8e-4, betas=(0.9, 0.999), weight_decay=0.05))
param_scheduler = [
    dict(type='LinearLR', begin=0, end=500, start_factor=0.001, by_epoch=False),
    dict(type='CosineAnnealingLR', begin=0, T_max=max_epochs, eta_min_ratio=1e-5, by_epoch=True),
]
auto_scale_lr = dict(base_batch_size=256)
default_hooks = dict(checkpoint=dict(save_best='coco/AP', rule='greater', max_keep_ckpts=1))

model = dict(
    type='FrozenBackbonePoseEstimator',
    backbone_checkpoint=backbone_checkpoint,
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(
        type='mmpretrain.SwinTransformer',
        arch='base',
        img_size=256,
        window_size=8,
        drop_path_rate=0.3,
        out_indices=(3, )),
    head=dict(
        type='PCTHead',
        in_channels=1024,
        in_featuremap_size=(8, 8),
        tokenizer={{_base_.tokenizer}},
        tokenizer_checkpoint=tokenizer_checkpoint,
        conv_channels=256,
        conv_num_blocks=2,
        conv_stride=1,
        num_blocks=4,
        hidden_dim=64,
        token_hidden=64,
        channel_hidden=256,
        lookup='soft',
        score_type='logit',
        loss_token_weight=1.0,
        loss_joint=dict(type='JointSmoothL1Loss', beta=0.05, loss_weight=1.0),
        decoder=codec),
    test_cfg=dict(flip_test=True, shift_coords=True),
)
