# ViTPose-B at 576x432 (td-hm_vitpose-b_8xb64-210e_coco-576x432.py) with shifted + pooling window
# attention (the paper's two remedies for window attention, used together): 12x9 windows (3x3 of
# them on the 36x27 grid), every other block shifted by half a window, keys/values pooled to 4x3
# shared by all windows.
_base_ = ['./td-hm_vitpose-b_8xb64-210e_coco-576x432.py']

model = dict(
    backbone=dict(attn_type='shifted_pooling_window', window_size=(12, 9), pool_size=(4, 3)))
