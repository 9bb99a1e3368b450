# SimDR with keypoint tokens (TokenPose style) on the tiny ViTPose at 64x64, labels as
# simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py: 17 learnable tokens join the patch tokens in
# every block; SimDRTokenHead projects each to its x and y logits instead of reading maps.
_base_ = ['./simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py']

model = dict(
    backbone=dict(num_extra_tokens=17, out_type='extra_tokens'),
    head=dict(_delete_=True, type='SimDRTokenHead', in_channels=192, out_channels=17,
              loss=dict(type='SimDRCrossEntropyLoss', use_target_weight=True),
              decoder={{_base_.codec}}))
