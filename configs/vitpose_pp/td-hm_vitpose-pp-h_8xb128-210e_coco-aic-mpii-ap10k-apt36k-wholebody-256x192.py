# ViTPose++-H: ViT-H with task experts of 320 channels.
_base_ = ['./_base_/vitpose-pp_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py']

optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.8))
model = dict(
    backbone=dict(arch='huge', drop_path_rate=0.55, ffn_cfg=dict(part_features=320)),
    head=dict(in_channels=1280))
