# ViTPose-B at 576x432 (td-hm_vitpose-b_8xb64-210e_coco-576x432.py) with window attention (12x9
# windows) and full attention in every third block (blocks 3, 6, 9, 12), the ViTDet-style mix.
_base_ = ['./td-hm_vitpose-b_8xb64-210e_coco-576x432.py']

model = dict(backbone=dict(attn_type='window', window_size=(12, 9), global_blocks=3))
