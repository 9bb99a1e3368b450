# ViTPose++ study, experiment (c): both synthetic data sets, the tiny ViT with factorised FFNs (a
# shared expert of 144 channels and one 48-channel task expert per data set: P / D = 1/4 as
# ViTPose++-B).
_base_ = ['./_base_/vitpose-pp-tiny_synthcoco-synthquadruped-64x64.py']

model = dict(backbone=dict(ffn_cfg=dict(type='ViTMoEMlp', num_experts=2, part_features=48)))
