# The tiny synthetic-data ViTPose (td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py) initialised
# from MAE pre-training on the same data's person crops
# (configs/mae/mae_vit-tiny-p16_1xb64-100e_synthcoco-crops-128x128.py): ViTPose's
# pre-training-data flexibility. ViTPoseBackbone reads the mmpretrain MAE checkpoint directly
# (keys converted, class position dropped, 8x8 position grid interpolated to 8x6); MAE's decoder
# is not loaded.
_base_ = ['../_base_/vitpose-tiny_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

input_size = (96, 128)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(24, 32), sigma=2)
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=True)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
mae_checkpoint = 'work_dirs/mae_vit-tiny-p16_1xb64-100e_synthcoco-crops-128x128/epoch_100.pth'

model = dict(
    backbone=dict(
        init_cfg=dict(type='Pretrained', checkpoint=mae_checkpoint, prefix='backbone.')),
    head=dict(
        type='HeatmapHead',
        in_channels=192,
        out_channels=17,
        deconv_out_channels=(128, 128),
        deconv_kernel_sizes=(4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=False))
