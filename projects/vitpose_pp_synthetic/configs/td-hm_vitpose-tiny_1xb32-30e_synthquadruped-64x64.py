# ViTPose++ study, experiment (a): the tiny ViTPose trained on the synthetic quadrupeds alone
# (data/synth_quadruped, AP-10K's 17 keypoints), otherwise as
# td-hm_vitpose-tiny_1xb32-30e_synthcoco-64x64.py (the synthetic family's 64x64 recipe,
# configs/_base_/vitpose-tiny_synthcoco-64x64.py): only the data set changes. Also the plain
# single-task model that tools/merge_experts.py --dataset-idx 1 loads into.
_base_ = ['../../../configs/_base_/vitpose-tiny_synthcoco-64x64.py']

dataset_type = 'AP10KDataset'
data_root = '{{$VITPOSE_DATA_ROOT:data}}/synth_quadruped/'
train_dataloader = dict(
    dataset=dict(type='Checked' + dataset_type, data_root=data_root,
                 ann_file='annotations/quadruped_keypoints_train.json'))
val_dataloader = dict(
    dataset=dict(type='Checked' + dataset_type, data_root=data_root,
                 ann_file='annotations/quadruped_keypoints_val.json'))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/quadruped_keypoints_val.json')
test_evaluator = val_evaluator
