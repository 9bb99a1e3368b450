# ViTPose++-H on the six data sets with every GPU holding 1/N of the model: PyTorch FSDP (full
# shard) through MMEngine's FlexibleRunner, each transformer block (with its task experts) its
# own unit, computed in bf16 and recomputed in backward. The recipe is
# td-hm_vitpose-pp-h_8xb128-210e_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py's. A batch
# without some data set leaves its expert and head unused: their shards get zero gradients (under
# DDP none), so AdamW's weight decay still moves them. Launch and memory: docs/large_models.md.
_base_ = ['./_base_/vitpose-pp_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py',
          '../_base_/fsdp_bf16.py']

optim_wrapper = dict(type='OptimWrapper', paramwise_cfg=dict(layer_decay_rate=0.8))
model = dict(
    backbone=dict(arch='huge', drop_path_rate=0.55, ffn_cfg=dict(part_features=320)),
    head=dict(in_channels=1280))
custom_hooks = [dict(type='SyncBuffersHook')]  # no CompileModulesHook: not tried with FSDP
