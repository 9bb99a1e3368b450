# SimDR as simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py (one-hot, k = 3, smoothing 0.1, cross
# entropy) with the keypoint maps upsampled before the flatten: the heatmap baseline's decoder
# (2 deconvolutions, 8x8 -> 32x32, then the 1x1 convolution) feeds the two linear layers, as
# MMPose's SimCCHead(deconv_out_channels=...) does. The study's finding (README.md here): on a
# plain ViT the linear readout learns only from spatially upsampled maps.
_base_ = ['./simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py']

model = dict(head=dict(deconv_out_channels=(128, 128), deconv_kernel_sizes=(4, 4)))
