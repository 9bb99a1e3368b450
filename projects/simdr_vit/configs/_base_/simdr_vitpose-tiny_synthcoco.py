# The SimDR study's recipe: the synthetic family's data, tiny ViTPose, AdamW and 30-epoch schedule
# (configs/_base_/vitpose-tiny_backbone-schedule.py) with a SimDRHead on the backbone's 192
# channels and flip test, no head-specific test options. TopdownAffine without UDP in every
# config, as MMPose's SimCC configs: the pose estimator maps predictions back with the non-UDP
# inverse. The configs add the codec and its pipelines, the input size and the head's remaining
# arguments: one config per label type and size, the decoder variants beside them.
_base_ = ['../../../../configs/_base_/default_runtime.py',
          '../../../../configs/_base_/synth_coco_topdown.py',
          '../../../../configs/_base_/vitpose-tiny_backbone-schedule.py']

train_cfg = dict(max_epochs={{_base_.max_epochs}}, val_interval=10)
default_hooks = dict(
    checkpoint=dict(save_best='coco/AP', rule='greater', max_keep_ckpts=1, interval=5),
    logger=dict(interval=10))

model = dict(head=dict(type='SimDRHead', in_channels=192, out_channels=17),
             test_cfg=dict(flip_test=True))
