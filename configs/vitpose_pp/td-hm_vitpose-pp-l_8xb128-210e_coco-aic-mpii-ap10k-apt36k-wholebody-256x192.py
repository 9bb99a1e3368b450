# ViTPose++-L: ViT-L with task experts of 256 channels.
_base_ = ['./_base_/vitpose-pp_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py']

optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.8))
model = dict(
    backbone=dict(arch='large', drop_path_rate=0.5, ffn_cfg=dict(part_features=256)),
    head=dict(in_channels=1024))
