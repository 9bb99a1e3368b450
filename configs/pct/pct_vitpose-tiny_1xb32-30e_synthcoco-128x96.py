# PCT stage 2 on the synthetic data: the synthetic family's data, tiny ViTPose backbone, optimizer
# and schedule (configs/_base_/vitpose-tiny_backbone-schedule.py) with PCT's classifier head (the
# reference's, with a 128-channel, stride-2 first block for the 8x6 feature map): the backbone of
# the tiny ViTPose heatmap model (frozen, as PCT does with its heatmap-trained backbone), the
# frozen stage-1 tokenizer, soft codebook lookup, joints regressed in the crop (RegressionLabel,
# no UDP: the pose estimator maps predictions back with the non-UDP inverse).
#   1. train configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py   (backbone)
#   2. train configs/pct/pct-tokenizer_1xb64-60e_synthcoco-128x96.py           (tokenizer)
#   3. train this config (checkpoint paths below: the default work dirs of 1 and 2)
_base_ = ['../_base_/default_runtime.py', '../_base_/synth_coco_topdown.py',
          '../_base_/vitpose-tiny_backbone-schedule.py', './_base_/pct-tokenizer_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_loaders

backbone_checkpoint = 'work_dirs/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96/epoch_30.pth'
tokenizer_checkpoint = 'work_dirs/pct-tokenizer_1xb64-60e_synthcoco-128x96/epoch_60.pth'

input_size = (96, 128)
codec = dict(type='RegressionLabel', input_size=input_size)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec, use_udp=False)

train_cfg = dict(max_epochs={{_base_.max_epochs}}, val_interval=10)
default_hooks = dict(
    checkpoint=dict(save_best='coco/AP', rule='greater', max_keep_ckpts=1, interval=5),
    logger=dict(interval=10))

model = dict(
    type='FrozenBackbonePoseEstimator',
    backbone_checkpoint=backbone_checkpoint,
    head=dict(
        type='PCTHead',
        in_channels=192,
        in_featuremap_size=(6, 8),  # (w, h) of the 128x96 input at stride 16
        tokenizer={{_base_.tokenizer}},
        tokenizer_checkpoint=tokenizer_checkpoint,
        conv_channels=128,
        conv_stride=2,
        # the rest: PCTHead's defaults, the reference head (written out in the COCO recipe,
        # pct_swin-b_8xb32-210e_coco-256x256.py)
        decoder=codec),
    test_cfg=dict(flip_test=True, shift_coords=True),
)
