# The heatmap baseline of the SimDR study at 64x64 input: the tiny synthetic-data ViTPose with
# the classic decoder (2 deconvolutions) making 32x32 UDP heatmaps, patch embedding 16x16 with
# stride 8 and padding 4 for an 8x8 token grid (configs/_base_/vitpose-tiny_synthcoco-64x64.py),
# with the truncated-normal initialisation the reported runs used. The SimDR configs beside this
# one change head, codec and crop.
_base_ = ['../../../configs/_base_/vitpose-tiny_synthcoco-64x64.py']

model = dict(backbone=dict(weight_init='trunc_normal'))
