# COCO keypoints, top-down, standard MMPose data paths, person detections for validation,
# CocoMetric. The model configs add `model`, the schedule and the pipelines (built from their
# input size and codec by vitpose_ext.utils.pipelines.topdown_pipelines).
dataset_type = 'CocoDataset'  # top level: MMPose's inferencer and demos read these two
data_mode = 'topdown'
data_root = '{{$VITPOSE_DATA_ROOT:data}}/coco/'
train_dataloader = dict(
    batch_size=64,
    # one worker delivers ~140 augmented 256x192 images/s on one core of the CPU machine
    # (benchmark_pipeline.py, docs/benchmarks.md): MMPose's 4 would give at most ~560 img/s,
    # under the 1,562 img/s of a ViTPose-B training step on one H200 (docs/gpu.md)
    num_workers=8,
    persistent_workers=True,
    # each field's tensors in one shared-memory block: on the 2-core CPU machine the main
    # process took ~210-285 img/s from 1-2 workers with pseudo_collate, 650-880 with this
    collate_fn=dict(type='shared_pseudo_collate'),
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='Checked' + dataset_type,  # with annotation checks (vitpose_ext.datasets.checks)
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/person_keypoints_train2017.json',
        data_prefix=dict(img='train2017/'),
    ))
val_dataloader = dict(
    batch_size=32,
    num_workers=4,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False, round_up=False),
    dataset=dict(
        type='Checked' + dataset_type,  # with annotation checks (vitpose_ext.datasets.checks)
        data_root=data_root,
        data_mode=data_mode,
        ann_file='annotations/person_keypoints_val2017.json',
        bbox_file=data_root + 'person_detection_results/COCO_val2017_detections_AP_H_56_person.json',
        data_prefix=dict(img='val2017/'),
        test_mode=True,
    ))
test_dataloader = val_dataloader
val_evaluator = dict(type='CocoMetric', ann_file=data_root + 'annotations/person_keypoints_val2017.json')
test_evaluator = val_evaluator
