# The teacher of the knowledge-token distillation experiments: a plain ViTPose, 6 layers of
# width 320 (5 heads), trained from scratch for 60 epochs (twice the students' schedule) on the
# synthetic set at 64x64.
_base_ = ['./_base_/kd_synthcoco-64x64.py']

max_epochs = 60
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='LinearLR', begin=0, end=100, start_factor=0.001, by_epoch=False),
    dict(type='MultiStepLR', begin=0, end=max_epochs, milestones=[48, 56], gamma=0.1,
         by_epoch=True),
]
model = dict(
    type='TopdownPoseEstimator',
    data_preprocessor={{_base_.preprocessor}},
    backbone=dict(
        type='ViTPoseBackbone',
        arch=dict(embed_dims=320, num_layers=6, num_heads=5, mlp_ratio=4.0),
        img_size=(64, 64),
        patch_size=16,
        patch_padding=2,
        drop_path_rate=0.1,
    ),
    head=dict(
        type='HeatmapHead',
        in_channels=320,
        out_channels=17,
        deconv_out_channels=(128, 128),
        deconv_kernel_sizes=(4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder={{_base_.codec}}),
    test_cfg={{_base_.pose_test_cfg}},
)
