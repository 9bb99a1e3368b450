# The synthetic-data family's recipe: the tiny ViTPose with ViTPose's classic decoder (2
# deconvolutions + 1x1 conv) on UDP heatmaps, synthetic COCO at 128x96 input, trained on a CPU in
# minutes (configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py is this recipe as it
# is). Data: ./synth_coco_topdown.py; backbone, AdamW and the 30-epoch schedule:
# ./vitpose-tiny_backbone-schedule.py (shared with the configs of other heads and codecs). The
# family's configs change the head, the input size, the backbone or the schedule where they say
# so. The stock-MMPose model on the same data and schedule:
# configs/baseline/td-hm_mmpretrain-vit-tiny_1xb32-30e_synthcoco-128x96.py.
_base_ = ['./default_runtime.py', './synth_coco_topdown.py', './vitpose-tiny_backbone-schedule.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (96, 128)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(24, 32), sigma=2)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec, use_udp=True)

train_cfg = dict(max_epochs={{_base_.max_epochs}}, val_interval=10)
default_hooks = dict(
    checkpoint=dict(save_best='coco/AP', rule='greater', max_keep_ckpts=1, interval=5),
    logger=dict(interval=10))

model = dict(
    head=dict(
        type='HeatmapHead',
        in_channels=192,
        out_channels=17,
        deconv_out_channels=(128, 128),
        deconv_kernel_sizes=(4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    test_cfg=dict(flip_test=True, flip_mode='heatmap', shift_heatmap=False),
)
