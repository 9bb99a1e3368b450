# ViTPose-B + SimDR* (Gaussian labels, k = 2, sigma 6 bins = 3 px, KL divergence: the figures of
# MMPose's SimCC configs), COCO 256x192. SimDRHead on the 16x12 patch grid: 1x1 conv to 17 maps,
# flatten, linear to x and y; no deconvolution.
_base_ = ['./_base_/simdr_vitpose_coco-256x192.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (192, 256)  # (w, h)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=2.0,
             label_type='gaussian', sigma=6.0)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec, use_udp=False)

model = dict(
    head=dict(
        in_featuremap_size=(12, 16),
        loss=dict(type='KLDiscretLoss', use_target_weight=True),
        decoder=codec))
