# ViTPose++ study, experiment (a): the tiny ViTPose trained on the synthetic humans alone, at
# 64x64 input with patch stride 8 (8x8 tokens, 32x32 heatmaps: with stride 16, 4x4 tokens and
# 16x16 heatmaps did not learn in the budget, AP ~0.00): the synthetic family's 64x64 recipe
# (configs/_base_/vitpose-tiny_synthcoco-64x64.py) as it is. Also the plain single-task model that
# tools/merge_experts.py --dataset-idx 0 loads into.
_base_ = ['../../../configs/_base_/vitpose-tiny_synthcoco-64x64.py']
