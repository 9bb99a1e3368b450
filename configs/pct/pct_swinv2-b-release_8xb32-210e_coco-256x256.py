# The official PCT release's base model (Gengzigang/PCT, its config pct_base_classifier.py) for its
# converted checkpoint: Swin V2-B as the release builds it (mmpretrain's SwinTransformerV2 with
# the release's windows, norms and unshifted last stages: release_swin_v2), image-guided
# tokenizer (guide_ratio 0.5 on the backbone's 1024 channels); the rest as
# pct_swin-b_8xb32-210e_coco-256x256.py. Convert and test:
#   python tools/convert_checkpoint.py swin_base.pth checkpoints/pct_base_ext.pth --format official_pct
#   mim test mmpose configs/pct/pct_swinv2-b-release_8xb32-210e_coco-256x256.py \
#       --checkpoint checkpoints/pct_base_ext.pth
_base_ = ['./pct_swin-b_8xb32-210e_coco-256x256.py']
from vitpose_ext.converters.pct_official import release_swin_v2

tokenizer_checkpoint = None  # in the converted checkpoint
model = dict(
    backbone=dict(_delete_=True, **release_swin_v2('base')),  # a different backbone class
    head=dict(tokenizer=dict(guide_channels=1024, guide_ratio=0.5),
              tokenizer_checkpoint=tokenizer_checkpoint))
