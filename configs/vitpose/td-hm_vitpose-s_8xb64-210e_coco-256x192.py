# ViTPose-B's recipe at size S (ViT-S, 384 channels): layer decay, drop path, MAE weights.
_base_ = ['./_base_/vitpose_coco-256x192.py']

optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.8))
model = dict(
    backbone=dict(
        arch='small',
        drop_path_rate=0.1,
        init_cfg=dict(type='Pretrained', checkpoint='https://download.openmmlab.com/mmpose/v1/'
                      'pretrained_models/mae_pretrain_vit_small_20230913.pth')),
    head=dict(in_channels=384))
