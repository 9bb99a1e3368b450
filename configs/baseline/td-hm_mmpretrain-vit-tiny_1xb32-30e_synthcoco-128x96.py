# The stock-MMPose baseline: the synthetic-data family's recipe (configs/_base_/vitpose-tiny_synthcoco.py:
# HeatmapHead, UDP heatmaps, CocoMetric, data, optimizer and schedule) with its backbone replaced
# by mmpretrain's VisionTransformer configured as MMPose's ViTPose configs do; tiny (4 layers, dim
# 192) so it trains on CPU. The family's models compare with this one.
_base_ = ['../_base_/vitpose-tiny_synthcoco.py']

model = dict(
    backbone=dict(
        _delete_=True,
        type='mmpretrain.VisionTransformer',
        arch=dict(embed_dims=192, num_layers=4, num_heads=3, feedforward_channels=768),
        img_size=(128, 96),
        patch_size=16,
        qkv_bias=True,
        drop_path_rate=0.1,
        with_cls_token=False,
        out_type='featmap',
        patch_cfg=dict(padding=2),
    ))
