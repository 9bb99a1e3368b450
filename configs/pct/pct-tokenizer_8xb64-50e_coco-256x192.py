# PCT stage 1 on COCO at 256x192, the crop of ViTPose's heatmap models, for
# pct_vitpose-b_8xb32-210e_coco-256x192.py (a tokenizer normalises joints to its crop, so stage 1
# and stage 2 share the input size).
_base_ = ['./pct-tokenizer_8xb64-50e_coco-256x256.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

input_size = (192, 256)
codec = dict(type='RegressionLabel', input_size=input_size)
# no UDP: the estimator maps predictions back with the non-UDP inverse
train_pipeline, val_pipeline = topdown_pipelines(
    input_size, codec, use_udp=False, keypoints_only=True,
    bbox_transform=dict(shift_factor=0.16, shift_prob=0.3, scale_factor=(0.5, 1.5),
                        rotate_factor=40))
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = val_dataloader
model = dict(codec=codec)
