# As pct_vitpose-tiny_1xb32-30e_synthcoco-128x96.py with the straight-through lookup (the PCT paper's):
# the decoder gets the codebook entries of the top logits, gradients flow as for the soft lookup.
#   1. train configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py   (backbone)
#   2. train configs/pct/pct-tokenizer_1xb64-60e_synthcoco-128x96.py           (tokenizer)
#   3. train this config (checkpoint paths below: the default work dirs of 1 and 2)
_base_ = ['../_base_/vitpose-tiny_synthcoco.py', './_base_/pct-tokenizer_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

backbone_checkpoint = 'work_dirs/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96/epoch_30.pth'
tokenizer_checkpoint = 'work_dirs/pct-tokenizer_1xb64-60e_synthcoco-128x96/epoch_60.pth'

input_size = (96, 128)
codec = dict(type='RegressionLabel', input_size=input_size)
# no UDP: the pose estimator maps predictions back with the non-UDP inverse
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=False)
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader

model = dict(
    type='PCTPoseEstimator',
    freeze_backbone=True,
    backbone=dict(
        init_cfg=dict(type='Pretrained', checkpoint=backbone_checkpoint, prefix='backbone.')),
    head=dict(
        type='PCTHead',
        in_channels=192,
        in_featuremap_size=(6, 8),  # (w, h) of the 128x96 input at stride 16
        tokenizer={{_base_.tokenizer}},
        tokenizer_checkpoint=tokenizer_checkpoint,
        conv_channels=128,
        conv_num_blocks=2,
        conv_stride=2,
        num_blocks=4,
        hidden_dim=64,
        token_hidden=64,
        channel_hidden=256,
        lookup='straight_through',
        score_type='logit',
        loss_token_weight=1.0,
        loss_joint=dict(type='JointSmoothL1Loss', beta=0.05, loss_weight=1.0),
        decoder=codec),
    test_cfg=dict(flip_test=True, shift_coords=True),
)
