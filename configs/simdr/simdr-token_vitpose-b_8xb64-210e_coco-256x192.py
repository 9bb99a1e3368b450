# sa-simdr_vitpose-b_8xb64-210e_coco-256x192.py (labels and loss) with keypoint tokens
# (TokenPose style) instead of the map readout: 17 learnable tokens join the 16x12 patch tokens in
# every block and SimDRTokenHead projects each to its x and y logits.
_base_ = ['./sa-simdr_vitpose-b_8xb64-210e_coco-256x192.py']

model = dict(
    backbone=dict(num_extra_tokens=17, out_type='extra_tokens'),
    head=dict(_delete_=True, type='SimDRTokenHead', in_channels=768, out_channels=17,
              loss=dict(type='KLDiscretLoss', use_target_weight=True), decoder={{_base_.codec}}))
