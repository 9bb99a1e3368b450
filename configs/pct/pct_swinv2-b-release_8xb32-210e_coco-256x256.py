# The official PCT release's base model (Gengzigang/PCT, its config pct_base_classifier.py) for its
# converted checkpoint: Swin V2-B as the release builds it (mmpretrain's SwinTransformerV2 with
# the release's windows, norms and unshifted last stages, as
# vitpose_ext.converters.pct_official.release_swin_v2('base') writes it), image-guided
# tokenizer (guide_ratio 0.5 on the backbone's 1024 channels); the rest as
# pct_swin-b_8xb32-210e_coco-256x256.py. Convert and test:
#   python tools/convert_checkpoint.py swin_base.pth checkpoints/pct_base_ext.pth --format official_pct
#   mim test mmpose configs/pct/pct_swinv2-b-release_8xb32-210e_coco-256x256.py \
#       --checkpoint checkpoints/pct_base_ext.pth
_base_ = ['./pct_swin-b_8xb32-210e_coco-256x256.py']

tokenizer_checkpoint = None  # in the converted checkpoint
norm = dict(type='LN', eps=1e-6)  # LayerNorm eps 1e-6 everywhere, as the release
model = dict(
    backbone_checkpoint=None,  # in the converted checkpoint
    backbone=dict(  # a different backbone class
        _delete_=True,
        type='mmpretrain.SwinTransformerV2',
        arch=dict(embed_dims=128, depths=[2, 2, 18, 2], num_heads=[4, 8, 16, 32],
                  extra_norm_every_n_blocks=0),
        img_size=256,
        window_size=[16, 16, 16, 8],
        pretrained_window_sizes=[12, 12, 12, 6],
        out_indices=(3, ),
        norm_cfg=norm,
        patch_cfg=dict(norm_cfg=norm),
        # post-norm patch merging; the last two stages without shifted windows
        stage_cfgs=[dict(block_cfgs=dict(norm_cfg=norm, **shift),
                         downsample_cfg=dict(use_post_norm=True, norm_cfg=norm))
                    for shift in (dict(), dict(), dict(shift=False), dict(shift=False))]),
    head=dict(tokenizer=dict(guide_channels=1024, guide_ratio=0.5),
              tokenizer_checkpoint=tokenizer_checkpoint))
