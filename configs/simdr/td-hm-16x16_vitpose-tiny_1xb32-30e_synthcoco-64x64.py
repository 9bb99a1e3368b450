# The heatmap baseline with the heatmap at 1/4 of the input (16x16 for 64x64), the resolution
# of the SimDR paper's heatmap baselines: one deconvolution instead of two.
_base_ = ['./td-hm-32x32_vitpose-tiny_1xb32-30e_synthcoco-64x64.py']

input_size = (64, 64)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(16, 16), sigma=2)
train_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform'),
    dict(type='TopdownAffine', input_size=input_size, use_udp=True),
    dict(type='GenerateTarget', encoder=codec),
    dict(type='PackPoseInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
model = dict(head=dict(deconv_out_channels=(128, ), deconv_kernel_sizes=(4, ), decoder=codec))
