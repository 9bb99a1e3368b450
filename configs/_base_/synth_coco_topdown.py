# Synthetic COCO keypoints (python -m vitpose_ext.datasets.synthetic), top-down with GT boxes,
# CocoMetric. The model configs add `model`, the schedule and the pipelines (built from their
# input size and codec by vitpose_ext.utils.pipelines.topdown_pipelines).
dataset_type = 'CocoDataset'  # top level: MMPose's inferencer and demos read these two
data_mode = 'topdown'
data_root = '{{$VITPOSE_DATA_ROOT:data}}/synth_coco/'

train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='Checked' + dataset_type,  # with annotation checks (vitpose_ext.datasets.checks)
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/person_keypoints_train.json',
        data_prefix=dict(img='train/'),
    ))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type='Checked' + dataset_type,  # with annotation checks (vitpose_ext.datasets.checks)
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/person_keypoints_val.json',
        data_prefix=dict(img='val/'),
        test_mode=True,
    ))
test_dataloader = val_dataloader
val_evaluator = dict(type='CocoMetric', ann_file=data_root + 'annotations/person_keypoints_val.json')
test_evaluator = val_evaluator
