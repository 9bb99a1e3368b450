# The teacher of the knowledge-token distillation experiments: a plain ViTPose, 6 layers of
# width 256 (4 heads), trained from scratch on the synthetic set for 30 epochs (the students: 15),
# otherwise the tiny ViTPose's data, head, optimizer and schedule (configs/vitpose/*-128x96.py).
_base_ = ['../vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py']

model = dict(
    backbone=dict(arch=dict(embed_dims=256, num_layers=6, num_heads=4, mlp_ratio=4.0),
                  weight_init='trunc_normal'),  # the initialisation the reported runs used
    head=dict(in_channels=256))
