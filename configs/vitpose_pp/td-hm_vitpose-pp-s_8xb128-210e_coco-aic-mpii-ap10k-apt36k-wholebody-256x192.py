# ViTPose++-S: ViT-S with task experts of 192 channels (the released S weights use 96).
_base_ = ['./_base_/vitpose-pp_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py']

optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.8))
model = dict(
    backbone=dict(arch='small', drop_path_rate=0.1, ffn_cfg=dict(part_features=192)),
    head=dict(in_channels=384))
