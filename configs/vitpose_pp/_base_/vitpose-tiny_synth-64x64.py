# The tiny ViTPose (4 layers, dim 192) of configs/vitpose/ at 64x64 input, patch stride 8 (8x8
# tokens, 32x32 heatmaps: with stride 16, 4x4 tokens and 16x16 heatmaps did not learn in the
# budget, AP ~0.00), for the ViTPose++ experiments on two synthetic data sets:
#   0 humans     data/synth_coco       COCO's 17 keypoints      (CocoDataset)
#   1 quadrupeds data/synth_quadruped  AP-10K's 17 keypoints    (AP10KDataset)
# made by `python -m vitpose_ext.datasets.synthetic --out data/synth_coco` and
# `... --skeleton quadruped --out data/synth_quadruped --seed 1`. As a config: humans alone.
_base_ = ['../../vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py']

input_size = (64, 64)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(32, 32), sigma=2)
# before packing: the multi-task configs tag each data set's samples with its index first
train_transforms = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='RandomFlip', direction='horizontal'),
    dict(type='RandomHalfBody'),
    dict(type='RandomBBoxTransform'),
    dict(type='TopdownAffine', input_size=input_size, use_udp=True),
    dict(type='GenerateTarget', encoder=codec),
]
val_transforms = [
    dict(type='LoadImage'),
    dict(type='GetBBoxCenterScale'),
    dict(type='TopdownAffine', input_size=input_size, use_udp=True),
]
human_train = dict(type='CocoDataset', data_root='data/synth_coco/', data_mode='topdown',
                   ann_file='annotations/person_keypoints_train.json',
                   data_prefix=dict(img='train/'))
human_val = dict(human_train, ann_file='annotations/person_keypoints_val.json',
                 data_prefix=dict(img='val/'), test_mode=True)
quadruped_train = dict(type='AP10KDataset', data_root='data/synth_quadruped/',
                       data_mode='topdown', ann_file='annotations/quadruped_keypoints_train.json',
                       data_prefix=dict(img='train/'))
quadruped_val = dict(quadruped_train, ann_file='annotations/quadruped_keypoints_val.json',
                     data_prefix=dict(img='val/'), test_mode=True)
human_metric = dict(type='CocoMetric',
                    ann_file='data/synth_coco/annotations/person_keypoints_val.json')
quadruped_metric = dict(type='CocoMetric',
                        ann_file='data/synth_quadruped/annotations/quadruped_keypoints_val.json')

train_dataloader = dict(dataset=dict(pipeline=train_transforms + [dict(type='PackPoseInputs')]))
val_dataloader = dict(dataset=dict(pipeline=val_transforms + [dict(type='PackPoseInputs')]))
test_dataloader = val_dataloader
model = dict(backbone=dict(img_size=(64, 64), patch_stride=8, patch_padding=4),
             head=dict(decoder=codec))
