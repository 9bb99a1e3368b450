# ViTPose++ study, experiment (a): the tiny ViTPose trained on the synthetic humans alone, at
# 64x64 input with patch stride 8 (8x8 tokens, 32x32 heatmaps: with stride 16, 4x4 tokens and
# 16x16 heatmaps did not learn in the budget, AP ~0.00). Also the plain single-task model that
# tools/merge_experts.py --dataset-idx 0 loads into.
_base_ = ['../../../configs/_base_/vitpose-tiny_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

input_size = (64, 64)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(32, 32), sigma=2)
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=True)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

model = dict(
    backbone=dict(img_size=(64, 64), patch_stride=8, patch_padding=4),
    head=dict(
        type='HeatmapHead',
        in_channels=192,
        out_channels=17,
        deconv_out_channels=(128, 128),
        deconv_kernel_sizes=(4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=False))
