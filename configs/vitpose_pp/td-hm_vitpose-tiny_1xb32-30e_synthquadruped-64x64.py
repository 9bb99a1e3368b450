# ViTPose++ experiment (a): the tiny ViTPose trained on the synthetic quadrupeds alone, 64x64.
# Also the plain single-task model that tools/merge_experts.py --dataset-idx 1 loads into.
_base_ = ['./_base_/vitpose-tiny_synth-64x64.py']

train_dataloader = dict(dataset=_base_.quadruped_train)
val_dataloader = dict(dataset=_base_.quadruped_val)
test_dataloader = val_dataloader
val_evaluator = _base_.quadruped_metric
test_evaluator = val_evaluator
