# The synthetic-data family's recipe (./vitpose-tiny_synthcoco.py) at 64x64 input: patch stride 8
# (8x8 tokens; stride 16 would give 4x4, 16 tokens for 17 keypoints) and 32x32 UDP heatmaps. The
# 64x64 heatmap configs of the SimDR and ViTPose++ studies (projects/simdr_vit,
# projects/vitpose_pp_synthetic) start from it.
_base_ = ['./vitpose-tiny_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (64, 64)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(32, 32), sigma=2)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec, use_udp=True)

model = dict(
    backbone=dict(img_size=(64, 64), patch_stride=8, patch_padding=4), head=dict(decoder=codec))
