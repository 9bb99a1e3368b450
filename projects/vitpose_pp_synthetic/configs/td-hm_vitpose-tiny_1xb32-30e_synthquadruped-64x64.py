# ViTPose++ study, experiment (a): the tiny ViTPose trained on the synthetic quadrupeds alone
# (data/synth_quadruped, AP-10K's 17 keypoints), otherwise as
# td-hm_vitpose-tiny_1xb32-30e_synthcoco-64x64.py. Also the plain single-task model that
# tools/merge_experts.py --dataset-idx 1 loads into.
_base_ = ['../../../configs/_base_/vitpose-tiny_synthcoco.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

input_size = (64, 64)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(32, 32), sigma=2)
train_pipeline, val_pipeline = topdown_pipelines(input_size, codec, use_udp=True)
dataset_type = 'AP10KDataset'
data_root = '{{$VITPOSE_DATA_ROOT:data}}/synth_quadruped/'
train_dataloader = dict(
    dataset=dict(type='Checked' + dataset_type, data_root=data_root,
                 ann_file='annotations/quadruped_keypoints_train.json', pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(type='Checked' + dataset_type, data_root=data_root,
                 ann_file='annotations/quadruped_keypoints_val.json', pipeline=val_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + 'annotations/quadruped_keypoints_val.json')
test_evaluator = val_evaluator

model = dict(
    backbone=dict(img_size=(64, 64), patch_stride=8, patch_padding=4),
    head=dict(
        type='HeatmapHead',
        in_channels=192,
        out_channels=17,
        deconv_out_channels=(128, 128),
        deconv_kernel_sizes=(4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=False))
