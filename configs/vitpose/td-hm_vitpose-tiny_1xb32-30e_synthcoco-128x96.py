# vitpose_ext's ViTPoseBackbone in the stock baseline's place: same size (4 layers, dim 192,
# 3 heads), data, head, optimizer and schedule as
# configs/baseline/td-hm_mmpretrain-vit-tiny_1xb32-30e_synthcoco-128x96.py.
_base_ = ['../baseline/td-hm_mmpretrain-vit-tiny_1xb32-30e_synthcoco-128x96.py']

model = dict(
    backbone=dict(
        _delete_=True,
        type='ViTPoseBackbone',
        arch=dict(embed_dims=192, num_layers=4, num_heads=3, mlp_ratio=4.0),
        img_size=(128, 96),
        patch_size=16,
        patch_padding=2,
        drop_path_rate=0.1,
        # from scratch: Xavier linears / fan-in patch embedding train better here than the
        # release's truncated normal 0.02 (meant for fine-tuning): AP 0.232 vs 0.204 (README)
        weight_init='xavier',
    ))
