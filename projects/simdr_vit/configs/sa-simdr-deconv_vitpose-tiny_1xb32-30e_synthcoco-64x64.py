# SimDR* (sa-simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py: Gaussian labels, sigma 2.25 bins,
# KL) with the keypoint maps upsampled before the flatten (2 deconvolutions, 8x8 -> 32x32), as
# simdr-deconv_vitpose-tiny_1xb32-30e_synthcoco-64x64.py.
_base_ = ['./sa-simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py']

model = dict(head=dict(deconv_out_channels=(128, 128), deconv_kernel_sizes=(4, 4)))
