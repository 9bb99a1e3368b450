# ViTPose++-B: ViT-B with task experts of 192 channels, six data sets (see the base config).
_base_ = ['./_base_/vitpose-pp_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py']
