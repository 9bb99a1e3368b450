# ViTPose++ (Xu et al., TPAMI 2023): one ViT whose FFNs are factorised into a shared expert and one
# task expert per data set (ViTMoEMlp), one heatmap head per data set, trained on the reference
# mix in the reference release's index order:
#   0 COCO (17 keypoints)  1 AIC (14)  2 MPII (16)  3 AP-10K (17)  4 APT-36K (17)
#   5 COCO-WholeBody (133)
# Recipe of the release: AdamW lr 1e-3, wd 0.1, layer-wise lr decay, grad clip 1.0, 500-iter
# warm-up, steps at 170 / 200 of 210 epochs, batch 128 x 8 GPUs, UDP heatmaps 48x64, flip test:
# ViTPose-B's backbone, optimizer and schedule (../../vitpose/_base_/vitpose-b_backbone-schedule.py)
# with the release's lr and batch, no pre-trained weights by default and task experts in the FFNs.
# This is ViTPose++-B; the S / L / H configs override a few keys. Merge a trained checkpoint into
# a plain ViTPose for one data set with tools/merge_experts.py.
_base_ = ['../../_base_/default_runtime.py', '../../vitpose/_base_/vitpose-b_backbone-schedule.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

train_cfg = dict(max_epochs=210, val_interval=10)
# the fragment's AdamW replaced as a whole: the release's lr, not fused
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-3, betas=(0.9, 0.999), weight_decay=0.1))
auto_scale_lr = dict(base_batch_size=1024)
default_hooks = dict(checkpoint=dict(save_best='coco/AP', rule='greater', max_keep_ckpts=1))
# a batch drawn from the concatenation may lack a data set: its head then gets no gradient
model_wrapper_cfg = dict(type='MMDistributedDataParallel', find_unused_parameters=True)

# ------------------------------------------------------------------ data
input_size = (192, 256)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(48, 64), sigma=2)
# Each data set runs its own pipeline (its own flip pairs and half-body ids, its own keypoint
# count for the targets) after tagging its samples with their index; CombinedDataset then packs
# them, keeping the index in the metainfo.
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=True)
train_transforms, val_transforms = train_pipeline[:-1], val_pipeline[:-1]  # without packing
pack = dict(
    type='PackPoseInputs',
    meta_keys=('id', 'img_id', 'img_path', 'category_id', 'crowd_index', 'ori_shape',
               'img_shape', 'input_size', 'input_center', 'input_scale', 'flip',
               'flip_direction', 'flip_indices', 'raw_ann_info', 'dataset_name', 'dataset_idx'))
# every data set under one folder: MMPose's standard layout below $VITPOSE_DATA_ROOT (default
# data/, beside the working directory)
data_dir = '{{$VITPOSE_DATA_ROOT:data}}/'
det_bboxes = data_dir + 'coco/person_detection_results/COCO_val2017_detections_AP_H_56_person.json'

dataset_type = 'CocoDataset'  # data set 0's; top level: MMPose's inferencer and demos read these
data_mode = 'topdown'
# (type, data_root, train ann / images, val ann / images): MMPose's standard paths; APT-36K as in
# the ViTPose++ release
coco_train = dict(type='CheckedCocoDataset', data_root=data_dir + 'coco/',
                  ann_file='annotations/person_keypoints_train2017.json',
                  data_prefix=dict(img='train2017/'))
coco_val = dict(type='CheckedCocoDataset', data_root=data_dir + 'coco/',
                ann_file='annotations/person_keypoints_val2017.json',
                data_prefix=dict(img='val2017/'), bbox_file=det_bboxes)
aic_train = dict(type='CheckedAicDataset', data_root=data_dir + 'aic/', ann_file='annotations/aic_train.json',
                 data_prefix=dict(img='ai_challenger_keypoint_train_20170902/'
                                  'keypoint_train_images_20170902/'))
aic_val = dict(type='CheckedAicDataset', data_root=data_dir + 'aic/', ann_file='annotations/aic_val.json',
               data_prefix=dict(img='ai_challenger_keypoint_validation_20170911/'
                                'keypoint_validation_images_20170911/'))
mpii_train = dict(type='CheckedMpiiDataset', data_root=data_dir + 'mpii/',
                  ann_file='annotations/mpii_train.json', data_prefix=dict(img='images/'))
mpii_val = dict(type='CheckedMpiiDataset', data_root=data_dir + 'mpii/', ann_file='annotations/mpii_val.json',
                headbox_file=data_dir + 'mpii/annotations/mpii_gt_val.mat',
                data_prefix=dict(img='images/'))
ap10k_train = dict(type='CheckedAP10KDataset', data_root=data_dir + 'ap10k/',
                   ann_file='annotations/ap10k-train-split1.json', data_prefix=dict(img='data/'))
ap10k_val = dict(type='CheckedAP10KDataset', data_root=data_dir + 'ap10k/',
                 ann_file='annotations/ap10k-val-split1.json', data_prefix=dict(img='data/'))
apt36k_train = dict(type='CheckedAPT36KDataset', data_root=data_dir + 'apt36k/',
                    ann_file='annotations/train_annotations_1.json', data_prefix=dict(img=''))
apt36k_val = dict(type='CheckedAPT36KDataset', data_root=data_dir + 'apt36k/',
                  ann_file='annotations/val_annotations_1.json', data_prefix=dict(img=''))
wholebody_train = dict(type='CheckedCocoWholeBodyDataset', data_root=data_dir + 'coco/',
                       ann_file='annotations/coco_wholebody_train_v1.0.json',
                       data_prefix=dict(img='train2017/'))
wholebody_val = dict(type='CheckedCocoWholeBodyDataset', data_root=data_dir + 'coco/',
                     ann_file='annotations/coco_wholebody_val_v1.0.json',
                     data_prefix=dict(img='val2017/'), bbox_file=det_bboxes)
train_sets = [coco_train, aic_train, mpii_train, ap10k_train, apt36k_train, wholebody_train]
val_sets = [coco_val, aic_val, mpii_val, ap10k_val, apt36k_val, wholebody_val]

train_dataloader = dict(
    batch_size=128,
    num_workers=8,
    persistent_workers=True,
    # every sample once per epoch, as the release's concatenation; EpochMultiSourceSampler
    # with a source_ratio fixes each batch's mix instead
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='MultiTaskCombinedDataset',  # COCO's metainfo, data set 0's
        datasets=[dict(d, data_mode='topdown',
                       pipeline=[dict(type='SetDatasetIndex', dataset_idx=i)] + train_transforms)
                  for i, d in enumerate(train_sets)],
        pipeline=[pack],
    ))
val_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type='MultiTaskCombinedDataset',  # COCO's metainfo, data set 0's
        datasets=[dict(d, data_mode='topdown', test_mode=True,
                       pipeline=[dict(type='SetDatasetIndex', dataset_idx=i)])
                  for i, d in enumerate(val_sets)],
        # the test transforms here, not per data set: MMPose's inferencer runs this pipeline
        pipeline=val_transforms + [pack],
        test_mode=True,
    ))
test_dataloader = val_dataloader
# each data set's own metric, its samples routed by their dataset_name
val_evaluator = dict(
    type='MultiDatasetEvaluator',
    metrics=[
        dict(type='CocoMetric', ann_file=data_dir + 'coco/annotations/person_keypoints_val2017.json',
             prefix='coco'),
        dict(type='CocoMetric', ann_file=data_dir + 'aic/annotations/aic_val.json', use_area=False,
             prefix='aic'),
        dict(type='MpiiPCKAccuracy', prefix='mpii'),
        dict(type='CocoMetric', ann_file=data_dir + 'ap10k/annotations/ap10k-val-split1.json',
             prefix='ap10k'),
        dict(type='CocoMetric', ann_file=data_dir + 'apt36k/annotations/val_annotations_1.json',
             prefix='apt36k'),
        dict(type='CocoWholeBodyMetric',
             ann_file=data_dir + 'coco/annotations/coco_wholebody_val_v1.0.json',
             prefix='coco-wholebody'),
    ],
    datasets=val_sets)
test_evaluator = val_evaluator

# ------------------------------------------------------------------ model
embed_dims = 768
model = dict(
    type='MultiTaskTopdownPoseEstimator',
    backbone=dict(
        # task experts of P = 192 channels (S 192, B 192, L 256, H 320)
        ffn_cfg=dict(type='ViTMoEMlp', num_experts=6, part_features=192),
        # MAE-pretrained weights, e.g. converted with tools/convert_checkpoint.py --format mmpretrain
        init_cfg=None,
    ),
    # one classic heatmap head per data set; out_channels comes from its metainfo
    head=dict(
        type='HeatmapHead',
        in_channels=embed_dims,
        deconv_out_channels=(256, 256),
        deconv_kernel_sizes=(4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    metainfos=[dict(from_file=f'configs/_base_/datasets/{name}.py')
               for name in ('coco', 'aic', 'mpii', 'ap10k', 'ap10k', 'coco_wholebody')],
    test_cfg=dict(flip_mode='heatmap', shift_heatmap=False,
                  dataset_idx=0),  # images without a data set index (the inferencer's): COCO
)
