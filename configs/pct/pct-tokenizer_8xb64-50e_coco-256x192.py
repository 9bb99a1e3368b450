# PCT stage 1 on COCO at 256x192, the crop of ViTPose's heatmap models, for
# pct_vitpose-b_8xb32-210e_coco-256x192.py (a tokenizer normalises joints to its crop, so stage 1
# and stage 2 share the input size).
_base_ = ['./pct-tokenizer_8xb64-50e_coco-256x256.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (192, 256)
codec = dict(type='RegressionLabel', input_size=input_size)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(
    input_size, codec, **_base_.pipeline_args)
model = dict(codec=codec)
