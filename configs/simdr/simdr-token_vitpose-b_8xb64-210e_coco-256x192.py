# ViTPose-B + SimDR* with keypoint tokens (TokenPose style), COCO 256x192: 17 learnable tokens
# join the 16x12 patch tokens in every block and SimDRTokenHead projects each to its x and y
# logits. Labels and loss as sa-simdr_vitpose-b_8xb64-210e_coco-256x192.py.
_base_ = ['./_base_/simdr_vitpose_coco-256x192.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

input_size = (192, 256)  # (w, h)
codec = dict(type='SimDRLabel', input_size=input_size, simcc_split_ratio=2.0,
             label_type='gaussian', sigma=6.0)
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=False)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

model = dict(
    backbone=dict(num_extra_tokens=17, out_type='extra_tokens'),
    head=dict(
        type='SimDRTokenHead',
        in_channels=768,
        out_channels=17,
        loss=dict(type='KLDiscretLoss', use_target_weight=True),
        decoder=codec))
