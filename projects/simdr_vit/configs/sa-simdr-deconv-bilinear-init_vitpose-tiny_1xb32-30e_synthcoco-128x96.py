# SimDR* (Gaussian labels, KL) at 128x96, otherwise as
# simdr-deconv-bilinear-init_vitpose-tiny_1xb32-30e_synthcoco-128x96.py (32x24 maps, bilinear
# readout, k = 2). sigma 3 bins = 1.5 px, the 64x64 configs' 0.75 px scaled with the input; no
# label smoothing (one-hot labels only).
_base_ = ['./simdr-deconv-bilinear-init_vitpose-tiny_1xb32-30e_synthcoco-128x96.py']
from vitpose_ext.utils.pipelines import topdown_loaders

codec = dict(_base_.codec, label_type='gaussian', sigma=3.0, label_smoothing=0.0)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(
    _base_.input_size, codec, use_udp=False)

model = dict(head=dict(loss=dict(type='KLDiscretLoss', use_target_weight=True), decoder=codec))
