# The half of the ViTPose-B COCO recipe (Xu et al., NeurIPS 2022) that does not depend on the head:
# the ViT-B backbone from MAE weights and the paper's optimizer and schedule. A fragment (no _base_
# of its own), so it holds no key of the runtime: the three recipes built on it,
# configs/vitpose/_base_/vitpose_coco-256x192.py (heatmap head),
# configs/simdr/_base_/simdr_vitpose_coco-256x192.py (SimDR heads) and
# configs/vitpose_pp/_base_/vitpose-pp_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py (ViTPose++:
# task experts, six heads, the release's lr and batch), set train_cfg (210 epochs) and
# default_hooks; the first two also custom_hooks.
#
# Speed (measured on an H200, ViTPose-B, batch 64, --amp; docs/gpu.md): a fused AdamW, no
# per-step NumPy accuracy (the ViTPose and SimDR recipes' model.train_cfg compute_acc=False) and a
# compiled backbone (their CompileModulesHook; remove it with custom_hooks=[] where torch.compile
# is unavailable) train 2.2x faster than MMPose's stock ViTPose-B config with --amp; the
# arithmetic is the same.
# 210 epochs, lr steps at 170 and 200, 500-iteration linear warm-up, batch 64 x 8 GPUs.
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
    test_cfg=dict(flip_test=True),
)
