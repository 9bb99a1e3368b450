# PCT stage 1 on the synthetic data: the pose tokenizer, trained from keypoint annotations only
# (no image is read) with the reference estimator and optimizer (./_base_/pct-tokenizer_stage1.py,
# as configs/pct/pct-tokenizer_8xb64-50e_coco-256x256.py), 128x96 crops, a smaller tokenizer
# than COCO's, 60 epochs. Validation: reconstruction error in pixels of the crop and CocoMetric
# AP of the reconstructed poses. The recipe's lr 1e-2 (the reference's) holds here too: at 1e-3
# the tokenizer under-fits these [0, 1] targets (4.0 px joint error after 60 epochs; 1.7 px at
# 1e-2 with non-UDP crops, docs/pct.md).
_base_ = ['../_base_/default_runtime.py', '../_base_/synth_coco_topdown.py',
          './_base_/pct-tokenizer_synthcoco.py', './_base_/pct-tokenizer_stage1.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (96, 128)  # (w, h)
codec = dict(type='RegressionLabel', input_size=input_size)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(
    input_size, codec, **_base_.pipeline_args)
train_dataloader.update(batch_size=64)
val_dataloader.update(batch_size=64)
test_dataloader = val_dataloader
# joint error in pixels of the crop; the data set's CocoMetric (../_base_/synth_coco_topdown.py)
# on the reconstructed poses
val_evaluator = [dict(type='JointErrorMetric'), {{_base_.val_evaluator}}]
test_evaluator = val_evaluator

max_epochs = 60
train_cfg = dict(max_epochs=max_epochs, val_interval=20)
auto_scale_lr = dict(base_batch_size=64)
randomness = dict(seed=0)
default_hooks = dict(
    checkpoint=dict(save_best='joint_error/mean_px', rule='less', max_keep_ckpts=1, interval=20),
    logger=dict(interval=20))

model = dict(tokenizer={{_base_.tokenizer}}, codec=codec)
