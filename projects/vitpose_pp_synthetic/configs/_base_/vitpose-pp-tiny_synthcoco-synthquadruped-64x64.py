# ViTPose++ study: both synthetic data sets at once, the tiny ViT shared by the two, one heatmap
# head per data set:
#   0 humans     data/synth_coco       COCO's 17 keypoints      (CocoDataset)
#   1 quadrupeds data/synth_quadruped  AP-10K's 17 keypoints    (AP10KDataset)
# made by `python -m vitpose_ext.datasets.synthetic --out data/synth_coco` and
# `... --skeleton quadruped --out data/synth_quadruped --seed 1`. Each batch holds 16 + 16
# samples (EpochMultiSourceSampler: MMPose's MultiSourceSampler with each epoch's order from
# (seed, epoch), for exact resume); an epoch shows every sample of both sets about once, so each
# data set gets as many passes as in the single-data-set configs. Evaluation: each data set's
# CocoMetric (coco/AP, ap10k/AP). Backbone, optimizer and schedule: the synthetic family's
# (configs/_base_/vitpose-tiny_backbone-schedule.py; not its recipe, whose single data set this
# replaces) at 64x64 with its classic heatmap head, as ../td-hm_vitpose-tiny_*-64x64.py.
_base_ = ['../../../../configs/_base_/default_runtime.py',
          '../../../../configs/_base_/vitpose-tiny_backbone-schedule.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

dataset_type = 'CocoDataset'  # what MMPose's inferencer and demos read: data set 0's
data_mode = 'topdown'
input_size = (64, 64)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(32, 32), sigma=2)
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=True)
# each data set's samples are tagged with its index before the shared transforms; packing keeps it
pack = dict(
    type='PackPoseInputs',
    meta_keys=('id', 'img_id', 'img_path', 'category_id', 'crowd_index', 'ori_shape',
               'img_shape', 'input_size', 'input_center', 'input_scale', 'flip',
               'flip_direction', 'flip_indices', 'raw_ann_info', 'dataset_name', 'dataset_idx'))
# every data set under one folder: MMPose's standard layout below $VITPOSE_DATA_ROOT (default
# data/, beside the working directory)
data_dir = '{{$VITPOSE_DATA_ROOT:data}}/'
human_train = dict(type='CheckedCocoDataset', data_root=data_dir + 'synth_coco/', data_mode=data_mode,
                   ann_file='annotations/person_keypoints_train.json',
                   data_prefix=dict(img='train/'))
human_val = dict(human_train, ann_file='annotations/person_keypoints_val.json',
                 data_prefix=dict(img='val/'), test_mode=True)
quadruped_train = dict(type='CheckedAP10KDataset', data_root=data_dir + 'synth_quadruped/',
                       data_mode=data_mode, ann_file='annotations/quadruped_keypoints_train.json',
                       data_prefix=dict(img='train/'))
quadruped_val = dict(quadruped_train, ann_file='annotations/quadruped_keypoints_val.json',
                     data_prefix=dict(img='val/'), test_mode=True)

train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='EpochMultiSourceSampler', batch_size=32, source_ratio=[1, 1]),
    dataset=dict(
        type='MultiTaskCombinedDataset',  # COCO's metainfo, data set 0's
        datasets=[
            dict(human_train, pipeline=[dict(type='SetDatasetIndex', dataset_idx=0)]
                 + train_pipeline[:-1]),
            dict(quadruped_train, pipeline=[dict(type='SetDatasetIndex', dataset_idx=1)]
                 + train_pipeline[:-1]),
        ],
        pipeline=[pack]))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type='MultiTaskCombinedDataset',  # COCO's metainfo, data set 0's
        datasets=[
            dict(human_val, pipeline=[dict(type='SetDatasetIndex', dataset_idx=0)]),
            dict(quadruped_val, pipeline=[dict(type='SetDatasetIndex', dataset_idx=1)]),
        ],
        # the test transforms here, not per data set: MMPose's inferencer runs this pipeline
        pipeline=val_pipeline[:-1] + [pack],
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = dict(
    type='MultiDatasetEvaluator',
    metrics=[
        dict(type='CocoMetric', prefix='coco',
             ann_file=data_dir + 'synth_coco/annotations/person_keypoints_val.json'),
        dict(type='CocoMetric', prefix='ap10k',
             ann_file=data_dir + 'synth_quadruped/annotations/quadruped_keypoints_val.json'),
    ],
    datasets=[human_val, quadruped_val])
test_evaluator = val_evaluator

train_cfg = dict(max_epochs={{_base_.max_epochs}}, val_interval=10)
default_hooks = dict(
    checkpoint=dict(save_best='coco/AP', rule='greater', max_keep_ckpts=1, interval=5),
    logger=dict(interval=10))

model = dict(
    type='MultiTaskTopdownPoseEstimator',
    # the inferencer's and inference_topdown's images carry no data set index: data set 0
    # (humans) predicts them unless model.test_cfg.dataset_idx says otherwise
    metainfos=[dict(from_file='configs/_base_/datasets/coco.py'),
               dict(from_file='configs/_base_/datasets/ap10k.py')],
    backbone=dict(img_size=(64, 64), patch_stride=8, patch_padding=4),
    head=dict(
        type='HeatmapHead',
        in_channels=192,
        out_channels=17,
        deconv_out_channels=(128, 128),
        deconv_kernel_sizes=(4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=False, dataset_idx=0))
