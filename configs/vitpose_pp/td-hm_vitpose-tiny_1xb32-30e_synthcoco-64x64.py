# ViTPose++ experiment (a): the tiny ViTPose trained on the synthetic humans alone, 64x64.
# Also the plain single-task model that tools/merge_experts.py --dataset-idx 0 loads into.
_base_ = ['./_base_/vitpose-tiny_synth-64x64.py']
