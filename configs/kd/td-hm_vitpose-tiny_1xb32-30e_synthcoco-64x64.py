# The student of the knowledge-token distillation experiments without distillation: the tiny
# ViTPose (4 layers, width 192, 3 heads) of configs/vitpose/*-128x96.py, at 64x64, 30 epochs.
# The kd-* configs distil the teacher into exactly this model.
_base_ = ['./_base_/kd_synthcoco-64x64.py']

model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor={{_base_.preprocessor}},
    backbone=dict(
        type='ViTPoseBackbone',
        arch=dict(embed_dims=192, num_layers=4, num_heads=3, mlp_ratio=4.0),
        img_size=(64, 64),
        patch_size=16,
        patch_padding=2,
        drop_path_rate=0.1,
    ),
    head=dict(
        type='HeatmapHead',
        in_channels=192,
        out_channels=17,
        deconv_out_channels=(128, 128),
        deconv_kernel_sizes=(4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder={{_base_.codec}}),
    test_cfg={{_base_.pose_test_cfg}},
)
