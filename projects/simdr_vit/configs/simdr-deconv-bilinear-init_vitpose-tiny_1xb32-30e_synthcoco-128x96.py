# SimDR with both remedies of the 64x64 study (upsampled maps, bilinear readout) at 128x96 on the
# synthetic family's tiny ViTPose as it is (patch 16: 8x6 tokens; Xavier initialisation), so that
# it compares with configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py, whose
# decoder makes the same 32x24 maps. One-hot labels, k = 2 (192 x 256 bins), smoothing 0.1.
_base_ = ['./_base_/simdr_vitpose-tiny_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (96, 128)  # (w, h)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=2.0,
             label_type='one_hot', label_smoothing=0.1)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec, use_udp=False)

model = dict(
    head=dict(
        in_featuremap_size=(6, 8),
        deconv_out_channels=(128, 128),
        deconv_kernel_sizes=(4, 4),
        readout_init='bilinear',
        loss=dict(type='SimDRCrossEntropyLoss', use_target_weight=True),
        decoder=codec))
