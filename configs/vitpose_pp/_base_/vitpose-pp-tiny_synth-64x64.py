# Both synthetic data sets at once (0 humans, 1 quadrupeds): the tiny ViT shared by the two, one
# heatmap head per data set. Each batch holds 16 + 16 samples (EpochMultiSourceSampler: MMPose's
# MultiSourceSampler with each epoch's order from (seed, epoch), for exact resume); an epoch
# shows every sample of both sets about once, so each data set gets as many passes as in the
# single-data-set configs. Evaluation: each data set's CocoMetric (coco/AP, ap10k/AP).
_base_ = ['./vitpose-tiny_synth-64x64.py']

pack = dict(
    type='PackPoseInputs',
    meta_keys=('id', 'img_id', 'img_path', 'category_id', 'crowd_index', 'ori_shape',
               'img_shape', 'input_size', 'input_center', 'input_scale', 'flip',
               'flip_direction', 'flip_indices', 'raw_ann_info', 'dataset_name', 'dataset_idx'))
train_dataloader = dict(
    sampler=dict(type='EpochMultiSourceSampler', batch_size=32, source_ratio=[1, 1]),
    dataset=dict(
        _delete_=True,
        type='CombinedDataset',
        metainfo=dict(from_file='configs/_base_/datasets/coco.py'),
        datasets=[
            dict(_base_.human_train, pipeline=[dict(type='SetDatasetIndex', dataset_idx=0)]
                 + _base_.train_transforms),
            dict(_base_.quadruped_train, pipeline=[dict(type='SetDatasetIndex', dataset_idx=1)]
                 + _base_.train_transforms),
        ],
        pipeline=[pack]))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CombinedDataset',
        metainfo=dict(from_file='configs/_base_/datasets/coco.py'),
        datasets=[
            dict(_base_.human_val, pipeline=[dict(type='SetDatasetIndex', dataset_idx=0)]),
            dict(_base_.quadruped_val, pipeline=[dict(type='SetDatasetIndex', dataset_idx=1)]),
        ],
        # the test transforms here, not per data set: MMPose's inferencer runs this pipeline
        pipeline=_base_.val_transforms + [pack],
        test_mode=True))
test_dataloader = val_dataloader
val_evaluator = dict(
    _delete_=True,
    type='MultiDatasetEvaluator',
    metrics=[dict(_base_.human_metric, prefix='coco'),
             dict(_base_.quadruped_metric, prefix='ap10k')],
    datasets=[_base_.human_val, _base_.quadruped_val])
test_evaluator = val_evaluator

# the inferencer's and inference_topdown's images carry no data set index: data set 0 (humans)
# predicts them unless model.test_cfg.dataset_idx says otherwise
model = dict(
    type='MultiTaskTopdownPoseEstimator',
    test_cfg=dict(dataset_idx=0),
    metainfos=[dict(from_file='configs/_base_/datasets/coco.py'),
               dict(from_file='configs/_base_/datasets/ap10k.py')])
