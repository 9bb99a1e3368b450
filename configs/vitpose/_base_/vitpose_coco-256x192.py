# The ViTPose family's recipe: a plain ViT + light decoder on COCO 256x192, the reference recipe
# of the ViTPose paper (Xu et al., NeurIPS 2022), here ViTPose-B with the classic decoder (2
# deconvolutions + 1x1 conv) on UDP heatmaps. Data: ../../_base_/coco_topdown.py; backbone,
# optimizer and schedule: ./vitpose-b_backbone-schedule.py (shared with the SimDR recipe). The
# configs beside it change the size (S / L / H / G), the decoder (-simple), the resolution
# (576x432) or the engine (-deepspeed / -fsdp).
_base_ = ['../../_base_/default_runtime.py', '../../_base_/coco_topdown.py',
          './vitpose-b_backbone-schedule.py']
from vitpose_ext.utils.pipelines import topdown_loaders

input_size = (192, 256)  # (w, h)
codec = dict(type='UDPHeatmap', input_size=input_size, heatmap_size=(48, 64), sigma=2)
train_dataloader, val_dataloader, test_dataloader = topdown_loaders(input_size, codec, use_udp=True)

train_cfg = dict(max_epochs=210, val_interval=10)
default_hooks = dict(checkpoint=dict(save_best='coco/AP', rule='greater', max_keep_ckpts=1))
custom_hooks = [dict(type='CompileModulesHook', modules=['backbone']), dict(type='SyncBuffersHook')]

embed_dims = 768
model = dict(
    head=dict(
        type='HeatmapHead',
        in_channels=embed_dims,
        out_channels=17,
        deconv_out_channels=(256, 256),
        deconv_kernel_sizes=(4, 4),
        loss=dict(type='KeypointMSELoss', use_target_weight=True),
        decoder=codec),
    train_cfg=dict(compute_acc=False),  # acc_pose costs a GPU -> CPU copy of the outputs a step
    test_cfg=dict(flip_mode='heatmap', shift_heatmap=False),
)
