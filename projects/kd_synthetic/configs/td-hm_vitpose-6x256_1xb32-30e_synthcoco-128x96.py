# The teacher of the knowledge-token distillation study: the synthetic family's recipe
# (configs/_base_/vitpose-tiny_synthcoco.py: data, optimizer, 30-epoch schedule, classic heatmap
# head) with a wider plain ViTPose, 6 layers of width 256 (4 heads), trained from scratch
# (truncated-normal initialisation, as all the study's models; the students: 15 epochs).
_base_ = ['../../../configs/_base_/vitpose-tiny_synthcoco.py']

model = dict(
    backbone=dict(arch=dict(embed_dims=256, num_layers=6, num_heads=4, mlp_ratio=4.0),
                  weight_init='trunc_normal'),
    head=dict(in_channels=256))
