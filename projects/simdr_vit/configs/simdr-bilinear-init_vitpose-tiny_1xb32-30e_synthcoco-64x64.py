# SimDR as simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py (8x8 maps, one-hot, k = 3, smoothing
# 0.1, cross entropy) with the readout's linear layers started as the maps' bilinear marginals
# (SimDRHead(readout_init='bilinear')) instead of random: the loss then reaches each keypoint map
# at the labelled column and row from the first step (projects/simdr_vit/README.md).
_base_ = ['./simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py']

model = dict(head=dict(readout_init='bilinear'))
