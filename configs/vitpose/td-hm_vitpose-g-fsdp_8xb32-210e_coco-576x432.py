# ViTPose-G (ViT-g: 1408 channels, 40 blocks, about 1B parameters) on COCO 576x432
# (td-hm_vitpose-b_8xb64-210e_coco-576x432.py at size G) with every GPU holding 1/N of the model:
# PyTorch FSDP (full shard) through MMEngine's FlexibleRunner, each block its own unit, computed
# in bf16 and recomputed in backward. docs/large_models.md.
#
# 576x432 is the input of the paper's ViTPose-G (80.9 AP on COCO test-dev). Our choices, not
# the paper's: patch 16 with the padding of the other sizes (36x27 tokens), layer decay 0.9 and
# drop path 0.6 (continuing B 0.75 / 0.3, L 0.8 / 0.5, H 0.85 / 0.55), batch 32 per GPU
# (tools/train.py --auto-scale-lr scales the recipe's lr, set for 512, to the batch), and no
# pre-trained weights: there is no public ViT-G MAE file; set init_cfg to yours.
_base_ = ['./td-hm_vitpose-b_8xb64-210e_coco-576x432.py', '../_base_/fsdp_bf16.py']

train_dataloader = dict(batch_size=32)
optim_wrapper = dict(type='OptimWrapper', paramwise_cfg=dict(layer_decay_rate=0.9))
model = dict(
    backbone=dict(arch='giant', drop_path_rate=0.6, init_cfg=None), head=dict(in_channels=1408))
custom_hooks = [dict(type='SyncBuffersHook')]  # no CompileModulesHook: not tried with FSDP
