# ViTPose-L on COCO 256x192 with every GPU holding 1/N of the model: PyTorch FSDP (full shard)
# through MMEngine's FlexibleRunner, each transformer block its own unit, computed in bf16 and
# recomputed in backward. The recipe is td-hm_vitpose-l_8xb64-210e_coco-256x192.py's. Launch and
# memory: docs/large_models.md.
_base_ = ['./_base_/vitpose_coco-256x192.py', '../_base_/fsdp_bf16.py']

optim_wrapper = dict(type='OptimWrapper', paramwise_cfg=dict(layer_decay_rate=0.8))
model = dict(
    backbone=dict(
        arch='large',
        drop_path_rate=0.5,
        init_cfg=dict(type='Pretrained', checkpoint='https://download.openmmlab.com/mmpose/v1/'
                      'pretrained_models/mae_pretrain_vit_large_20230913.pth')),
    head=dict(in_channels=1024))
custom_hooks = [dict(type='SyncBuffersHook')]  # no CompileModulesHook: not tried with FSDP
