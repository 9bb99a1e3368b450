# SimDR* (Gaussian labels, KL) at 128x96, otherwise as
# simdr-deconv-bilinear-init_vitpose-tiny_1xb32-30e_synthcoco-128x96.py (32x24 maps, bilinear
# readout, k = 2). sigma 3 bins = 1.5 px, the 64x64 configs' 0.75 px scaled with the input. Not
# a child of that config: its one-hot codec's label_smoothing would merge into this codec.
_base_ = ['./_base_/simdr_vitpose-tiny_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

input_size = (96, 128)  # (w, h)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=2.0,
             label_type='gaussian', sigma=3.0)
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=False)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

model = dict(
    head=dict(
        in_featuremap_size=(6, 8),
        deconv_out_channels=(128, 128),
        deconv_kernel_sizes=(4, 4),
        readout_init='bilinear',
        loss=dict(type='KLDiscretLoss', use_target_weight=True),
        decoder=codec))
