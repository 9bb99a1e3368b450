# SimDR* (sa-simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py: Gaussian labels, sigma 2.25 bins,
# KL) with both remedies of the 64x64 study: the keypoint maps upsampled 8x8 -> 32x32 before the
# flatten and the readout started as the maps' bilinear marginals, as
# simdr-deconv-bilinear-init_vitpose-tiny_1xb32-30e_synthcoco-64x64.py (k = 3).
_base_ = ['./sa-simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py']

model = dict(
    head=dict(deconv_out_channels=(128, 128), deconv_kernel_sizes=(4, 4), readout_init='bilinear'))
