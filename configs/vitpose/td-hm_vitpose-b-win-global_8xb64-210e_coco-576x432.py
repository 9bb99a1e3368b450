# ViTPose-B at 576x432: window attention (12x9 windows) with full attention in every third block
# (blocks 3, 6, 9, 12), the ViTDet-style mix.
_base_ = ['./_base_/vitpose_coco-256x192.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

input_size = (432, 576)  # 36x27 tokens
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(108, 144), sigma=2)
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=True)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

model = dict(
    backbone=dict(img_size=(576, 432), attn_type='window', window_size=(12, 9), global_blocks=3),
    head=dict(decoder=codec))
