# The SimDR family's recipe on COCO: ViTPose-B's data, backbone, optimizer and schedule
# (../../vitpose/_base_/vitpose-b_backbone-schedule.py, the fragment the ViTPose recipe is built
# on) with a SimDRHead on the backbone's 768 channels; the configs beside it add the head's
# remaining arguments, its codec and the pipelines.
# TopdownAffine without UDP, as MMPose's SimCC configs: the pose estimator maps predictions back
# to the image with the non-UDP inverse, which matches SimDRLabel's input-pixel coordinates.
_base_ = ['../../_base_/default_runtime.py', '../../_base_/coco_topdown.py',
          '../../vitpose/_base_/vitpose-b_backbone-schedule.py']

train_cfg = dict(max_epochs=210, val_interval=10)
default_hooks = dict(checkpoint=dict(save_best='coco/AP', rule='greater', max_keep_ckpts=1))
custom_hooks = [dict(type='CompileModulesHook', modules=['backbone']), dict(type='SyncBuffersHook')]
# no per-step training accuracy: it costs a GPU -> CPU copy of the outputs a step
model = dict(head=dict(type='SimDRHead', in_channels=768, out_channels=17),
             train_cfg=dict(compute_acc=False))
