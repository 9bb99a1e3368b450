# PCT stage 1 on COCO, 256x256 crops: the pose tokenizer trained from keypoint annotations only
# (SkipImage: no image is decoded), with the reference recipe (./_base_/pct-tokenizer_stage1.py:
# smooth-L1 (beta 0.05 px) on the joints + 15 x the commitment loss; AdamW lr 1e-2, wd 0.15),
# cosine over 50 epochs with a 500-iteration warm-up, 64 poses x 8 GPUs. The reference also feeds
# a frozen heatmap backbone's features at the joints to the encoder (guide_ratio 0.5; its
# 'woimgguide' configs do without): set model.guide_backbone, model.guide_checkpoint and the
# tokenizer's guide_channels for that (then the pipelines need images).
# Validation on ground-truth boxes: joint error in pixels of the crop and CocoMetric AP of the
# reconstructed poses.
_base_ = ['../_base_/default_runtime.py', '../_base_/coco_topdown.py',
          './_base_/pct-tokenizer_coco.py', './_base_/pct-tokenizer_stage1.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (256, 256)  # (w, h)
codec = dict(type='RegressionLabel', input_size=input_size)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(
    input_size, codec, **_base_.pipeline_args)
train_dataloader.update(batch_size=64)
val_dataloader.update(batch_size=64)
val_dataloader['dataset'].update(bbox_file=None)  # ground-truth boxes
test_dataloader = val_dataloader
# joint error in pixels of the crop; the data set's CocoMetric (../_base_/coco_topdown.py)
# on the reconstructed poses
val_evaluator = [dict(type='JointErrorMetric'), {{_base_.val_evaluator}}]
test_evaluator = val_evaluator

max_epochs = 50
train_cfg = dict(max_epochs=max_epochs, val_interval=5)
auto_scale_lr = dict(base_batch_size=512)
default_hooks = dict(
    checkpoint=dict(save_best='joint_error/mean_px', rule='less', max_keep_ckpts=1, interval=5))

model = dict(tokenizer={{_base_.tokenizer}}, codec=codec)
