# The tiny synthetic-data ViTPose (td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py) initialised
# from MAE pre-training on the same data's person crops
# (configs/mae/mae_vit-tiny-p16_1xb64-100e_synthcoco-crops-128x128.py): ViTPose's
# pre-training-data flexibility. ViTPoseBackbone reads the mmpretrain MAE checkpoint directly
# (keys converted, class position dropped, 8x8 position grid interpolated to 8x6); MAE's decoder
# is not loaded.
_base_ = ['../_base_/vitpose-tiny_synthcoco.py']

mae_checkpoint = 'work_dirs/mae_vit-tiny-p16_1xb64-100e_synthcoco-crops-128x128/epoch_100.pth'
model = dict(
    backbone=dict(init_cfg=dict(type='Pretrained', checkpoint=mae_checkpoint, prefix='backbone.')))
