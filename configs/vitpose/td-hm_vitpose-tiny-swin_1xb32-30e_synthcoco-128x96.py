# The tiny synthetic-data ViTPose (td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py) with
# shifted window attention: 4x3 windows on the 8x6 token grid, every other block shifted.
_base_ = ['../_base_/vitpose-tiny_synthcoco.py']

model = dict(backbone=dict(attn_type='shifted_window', window_size=(4, 3)))
