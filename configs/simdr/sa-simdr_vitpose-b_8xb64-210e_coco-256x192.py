# ViTPose-B + SimDR* (Gaussian labels, k = 2, sigma 6, KL divergence), COCO 256x192.
_base_ = ['./_base_/simdr_vitpose_coco-256x192.py']
