# ViTPose-B, classic decoder (2 deconvolutions + 1x1 conv), COCO 256x192.
_base_ = ['./_base_/vitpose_coco-256x192.py']

optim_wrapper = dict(paramwise_cfg=dict(layer_decay_rate=0.75))
model = dict(
    backbone=dict(arch='base', drop_path_rate=0.3),
    head=dict(in_channels=768))
