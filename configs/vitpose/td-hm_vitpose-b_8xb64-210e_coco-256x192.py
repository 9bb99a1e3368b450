# ViTPose-B, classic decoder (2 deconvolutions + 1x1 conv), COCO 256x192: the family's recipe
# (./_base_/vitpose_coco-256x192.py) as it is.
_base_ = ['./_base_/vitpose_coco-256x192.py']
