# The tiny synthetic-data ViTPose with shifted window attention (4x3 windows on the 8x6 grid).
_base_ = ['./td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py']

model = dict(backbone=dict(attn_type='shifted_window', window_size=(4, 3)))
