# ViTPose-B at 576x432 (36x27 tokens), full attention: the paper's resolution flexibility; the
# window-attention configs below start from this one.
_base_ = ['./td-hm_vitpose-b_8xb64-210e_coco-256x192.py']

input_size = (432, 576)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(108, 144), sigma=2)
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
val_pipeline = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=input_size, use_udp=True),
    dict(type='PackPoseInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
model = dict(backbone=dict(img_size=(576, 432)), head=dict(decoder=codec))
