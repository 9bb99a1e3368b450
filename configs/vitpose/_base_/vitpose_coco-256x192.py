# ViTPose (plain ViT + light decoder) on COCO 256x192: the reference recipe of the ViTPose paper (Xu et al., NeurIPS 2022).
# ViTPose-B with the classic decoder; the S / L / H and simple-decoder configs override a few keys.
_base_ = ['../../_base_/default_runtime.py', '../../_base_/coco_topdown.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

input_size = (192, 256)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(48, 64), sigma=2)
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=True)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

# 210 epochs, lr steps at 170 and 200, 500-iteration linear warm-up, batch 64 x 8 GPUs
train_cfg = dict(max_epochs=210, val_interval=10)
# Speed (measured on an H200, ViTPose-B, batch 64, --amp; docs/gpu.md): a fused AdamW, no
# per-step NumPy accuracy (compute_acc below) and a compiled backbone (CompileModulesHook; remove
# it with custom_hooks=[] where torch.compile is unavailable) train 2.2x faster than MMPose's
# stock ViTPose-B config with --amp; the arithmetic is the same.
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=5e-4, betas=(0.9, 0.999), weight_decay=0.1, fused=True),
    constructor='ViTLayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(layer_decay_rate=0.75),  # no decay on 1-D params, biases, pos_embed
    clip_grad=dict(max_norm=1.0, norm_type=2),
)
param_scheduler = [
    dict(type='LinearLR', begin=0, end=500, start_factor=0.001, by_epoch=False),
    dict(type='MultiStepLR', begin=0, end=210, milestones=[170, 200], gamma=0.1, by_epoch=True),
]
auto_scale_lr = dict(base_batch_size=512)
default_hooks = dict(checkpoint=dict(save_best='coco/AP', rule='greater', max_keep_ckpts=1))

embed_dims = 768
model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor=dict(
        type='PoseDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True),
    backbone=dict(
        type='ViTPoseBackbone',
        arch='base',
        img_size=(256, 192),
        patch_size=16,
        patch_padding=2,
        drop_path_rate=0.3,
        norm_eps=1e-6,
        # MAE pre-training on ImageNet-1k (the paper's start), the file MMPose's ViTPose configs
        # use; mmpretrain's keys are converted on load. The S / L / H configs name their size's.
        init_cfg=dict(type='Pretrained', checkpoint='https://download.openmmlab.com/mmpose/v1/'
                      'pretrained_models/mae_pretrain_vit_base_20230913.pth'),
    ),
    head=dict(
        type='HeatmapHead',
        in_channels=embed_dims,
        out_channels=17,
        deconv_out_channels=(256, 256),
        deconv_kernel_sizes=(4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    train_cfg=dict(compute_acc=False),  # acc_pose costs a GPU -> CPU copy of the heatmaps a step
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=False),
)
custom_hooks = [dict(type='CompileModulesHook', modules=['backbone']), dict(type='SyncBuffersHook')]
