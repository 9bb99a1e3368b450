# ViTPose-B at 576x432 (36x27 tokens, 144x108 heatmaps), full attention: the paper's resolution
# flexibility. The window-attention and ViTPose-G configs beside it start from this one.
_base_ = ['./_base_/vitpose_coco-256x192.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (432, 576)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(108, 144), sigma=2)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec, use_udp=True)

model = dict(backbone=dict(img_size=(576, 432)), head=dict(decoder=codec))
