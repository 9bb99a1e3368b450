# ViTPose-S (td-hm_vitpose-s_8xb64-210e_coco-256x192.py) with the simple decoder instead: ReLU,
# bilinear x4 upsampling, 3x3 conv.
_base_ = ['./td-hm_vitpose-s_8xb64-210e_coco-256x192.py']

model = dict(
    neck=dict(type='FeatureMapProcessor', scale_factor=4.0, apply_relu=True),
    head=dict(deconv_out_channels=[], deconv_kernel_sizes=[], final_layer=dict(kernel_size=3, padding=1)))
