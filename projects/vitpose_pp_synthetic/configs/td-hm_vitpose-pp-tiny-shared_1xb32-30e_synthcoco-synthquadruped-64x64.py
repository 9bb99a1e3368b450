# ViTPose++ study, experiment (b): both synthetic data sets, the tiny ViT fully shared (plain
# FFNs), one head per data set: naive multi-task learning.
_base_ = ['./_base_/vitpose-pp-tiny_synthcoco-synthquadruped-64x64.py']
