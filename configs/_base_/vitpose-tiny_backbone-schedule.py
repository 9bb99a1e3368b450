# The half of the synthetic-data family's recipe that depends on neither the head nor the codec:
# the tiny ViTPose backbone (4 layers, dim 192, 3 heads, 128x96 input) and AdamW for 30 epochs at
# batch 32, so that it trains on a CPU. A fragment (no _base_ of its own), so it holds no key of
# the runtime or a data set: the recipes built on it set train_cfg (val_interval 10) and
# default_hooks (best coco/AP, checkpoint every 5 epochs, log every 10 iterations) and add their
# head: ./vitpose-tiny_synthcoco.py (heatmaps: the family's recipe), PCT's and the SimDR study's
# configs, and the two-data-set ViTPose++ study.
max_epochs = 30
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
    ),
)
