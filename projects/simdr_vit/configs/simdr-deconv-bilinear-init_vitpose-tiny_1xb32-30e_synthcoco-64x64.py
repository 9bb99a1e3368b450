# SimDR (simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py: one-hot, k = 3, smoothing 0.1, cross
# entropy) with both remedies: the keypoint maps upsampled 8x8 -> 32x32 before the flatten
# (simdr-deconv_...) and the readout started as the maps' bilinear marginals
# (simdr-bilinear-init_...).
_base_ = ['./simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py']

model = dict(
    head=dict(deconv_out_channels=(128, 128), deconv_kernel_sizes=(4, 4), readout_init='bilinear'))
