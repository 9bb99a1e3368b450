# The tiny ViTPose of the synthetic-data family (4 layers, dim 192, 3 heads, 30 epochs) with
# ViTPose's classic decoder and UDP heatmaps at 128x96: the family's recipe
# (configs/_base_/vitpose-tiny_synthcoco.py) as it is, the stock baseline's head, data, optimizer
# and schedule (configs/baseline/td-hm_mmpretrain-vit-tiny_1xb32-30e_synthcoco-128x96.py) on our
# backbone.
_base_ = ['../_base_/vitpose-tiny_synthcoco.py']
