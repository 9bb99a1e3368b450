# ViTPose++-H (td-hm_vitpose-pp-h_8xb128-210e_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py) on
# the six data sets with every GPU holding 1/N of the model: PyTorch FSDP (full shard) through
# MMEngine's FlexibleRunner, each transformer block (with its task experts) its own unit,
# computed in bf16 and recomputed in backward. A batch without some data set leaves its expert
# and head unused: their shards get zero gradients (under DDP none), so AdamW's weight decay
# still moves them. Launch and memory: docs/large_models.md.
_base_ = ['./td-hm_vitpose-pp-h_8xb128-210e_coco-aic-mpii-ap10k-apt36k-wholebody-256x192.py',
          '../_base_/fsdp_bf16.py']

optim_wrapper = dict(type='OptimWrapper')
