# ViTPose-B at 576x432 with shifted + pooling window attention (the paper's two remedies for
# window attention, used together): 12x9 windows (3x3 of them on the 36x27 grid), every other
# block shifted by half a window, keys/values pooled to 4x3 shared by all windows.
_base_ = ['./_base_/vitpose_coco-256x192.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

input_size = (432, 576)  # 36x27 tokens
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(108, 144), sigma=2)
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=True)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

model = dict(
    backbone=dict(img_size=(576, 432), attn_type='shifted_pooling_window', window_size=(12, 9),
                  pool_size=(4, 3)),
    head=dict(decoder=codec))
