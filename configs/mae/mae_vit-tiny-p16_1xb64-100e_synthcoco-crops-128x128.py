# MAE pre-training of the tiny synthetic-data ViT (4 layers, dim 192, 3 heads) on the person
# crops of the synthetic COCO set's train split; 128x128 crops (8x8 patches). Fine-tune with
# configs/vitpose/td-hm_vitpose-tiny-mae_1xb32-30e_synthcoco-128x96.py.
_base_ = ['./mae_vit-base-p16_8xb512-1600e_coco-crops-256x256.py']
from vitpose_ext.utils.pipelines import topdown_pipelines

data_root = '{{$VITPOSE_DATA_ROOT:data}}/synth_coco/'
crop_size = 128
max_epochs = 100
train_cfg = dict(max_epochs=max_epochs)
randomness = dict(seed=0)

# MMPose's top-down crop around each person (no half-body crops, no targets); the crop is square
train_pipeline = topdown_pipelines((crop_size, crop_size), codec=None, use_udp=False,
                                   half_body=False,
                                   bbox_transform=dict(scale_factor=(0.7, 1.3), rotate_factor=20))[0]
train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    dataset=dict(
        data_root=data_root,
        ann_file='annotations/person_keypoints_train.json',
        data_prefix=dict(img='train/'),
        pipeline=train_pipeline))

model = dict(
    backbone=dict(
        arch=dict(_delete_=True, embed_dims=192, num_layers=4, num_heads=3, feedforward_channels=768),
        img_size=crop_size),
    neck=dict(num_patches=(crop_size // 16)**2, embed_dim=192, decoder_embed_dim=128,
              decoder_depth=1, decoder_num_heads=4))

optim_wrapper = dict(optimizer=dict(lr=1.5e-4 * 64 / 256 * 4))  # 4x MAE's rate: short schedule
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=10,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 10, by_epoch=True, begin=10,
         end=max_epochs, convert_to_iter_based=True),
]
auto_scale_lr = dict(base_batch_size=64)
default_hooks = dict(checkpoint=dict(interval=50, max_keep_ckpts=1), logger=dict(interval=10))
