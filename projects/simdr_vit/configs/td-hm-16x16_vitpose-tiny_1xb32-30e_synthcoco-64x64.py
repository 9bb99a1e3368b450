# The SimDR study's heatmap baseline (td-hm-32x32_vitpose-tiny_1xb32-30e_synthcoco-64x64.py: the
# synthetic family at 64x64, truncated-normal initialisation) with the heatmap at 1/4 of the
# input (16x16 for 64x64), the resolution of the SimDR paper's heatmap baselines: one
# deconvolution instead of two.
_base_ = ['../../../configs/_base_/vitpose-tiny_synthcoco-64x64.py']
from vitpose_ext.utils.pipelines import topdown_loaders

codec = dict(type='UDPHeatmap', input_size=(64, 64), heatmap_size=(16, 16), sigma=2)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(codec['input_size'], codec, use_udp=True)

model = dict(
    backbone=dict(weight_init='trunc_normal'),
    head=dict(deconv_out_channels=(128, ), deconv_kernel_sizes=(4, ), decoder=codec))
