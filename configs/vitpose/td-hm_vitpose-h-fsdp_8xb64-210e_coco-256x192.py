# ViTPose-H (td-hm_vitpose-h_8xb64-210e_coco-256x192.py) with every GPU holding 1/N of the model:
# PyTorch FSDP (full shard) through MMEngine's FlexibleRunner, each transformer block its own
# unit, computed in bf16 and recomputed in backward. Launch and memory: docs/large_models.md.
_base_ = ['./td-hm_vitpose-h_8xb64-210e_coco-256x192.py', '../_base_/fsdp_bf16.py']

optim_wrapper = dict(type='OptimWrapper')
custom_hooks = [dict(type='SyncBuffersHook')]  # no CompileModulesHook: not tried with FSDP
