# The synthetic-data family: the tiny ViTPose (4 layers, dim 192, 3 heads) on synthetic COCO at
# 128x96 input, AdamW, 30 epochs, batch 32, so that it trains on a CPU. A config of the family
# adds its head, codec and pipelines (and changes the input size, the backbone or the schedule
# where it says so). The stock-MMPose model on the same data and schedule:
# configs/baseline/td-hm_mmpretrain-vit-tiny_1xb32-30e_synthcoco-128x96.py.
_base_ = ['./default_runtime.py', './synth_coco_topdown.py']

max_epochs = 30
train_cfg = dict(max_epochs=max_epochs, val_interval=10)
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.999), weight_decay=0.1),
    # From scratch, layer-wise lr decay only slows the early layers down: plain AdamW, no weight
    # decay on norms, biases and the position embedding.
    paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0,
                       custom_keys={'pos_embed': dict(decay_mult=0.0)}),
    clip_grad=dict(max_norm=1.0, norm_type=2),
)
param_scheduler = [
    dict(type='LinearLR', begin=0, end=100, start_factor=0.001, by_epoch=False),
    dict(type='MultiStepLR', begin=0, end=max_epochs, milestones=[24, 28], gamma=0.1,
         by_epoch=True),
]
auto_scale_lr = dict(base_batch_size=32)
randomness = dict(seed=0)
default_hooks = dict(
    checkpoint=dict(save_best='coco/AP', rule='greater', max_keep_ckpts=1, interval=5),
    logger=dict(interval=10))

model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(
        type='ViTPoseBackbone',
        arch=dict(embed_dims=192, num_layers=4, num_heads=3, mlp_ratio=4.0),
        img_size=(128, 96),
        patch_size=16,
        patch_padding=2,
        drop_path_rate=0.1,
        # from scratch: Xavier linears / fan-in patch embedding train better here than the
        # release's truncated normal 0.02 (meant for fine-tuning): AP 0.232 vs 0.204 (README)
        weight_init='xavier',
    ))
