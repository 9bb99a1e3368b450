# PCT stage 1, the reference recipe's estimator and optimizer, shared by the COCO and the
# synthetic tokenizer configs: the pose tokenizer trained from keypoint annotations only
# (PCTTokenizerEstimator, no image read), smooth-L1 (beta 0.05 px) on the joints + 15 x the
# commitment loss, AdamW lr 1e-2, wd 0.15, warm-up over 500 iterations then cosine to the last
# epoch, flip test; the reference's box jitter (shift 0.16 with p 0.3, scale 0.5-1.5, rotation
# 40 degrees) on the joints alone, no image read, and no UDP (the estimator maps predictions back
# with the non-UDP inverse). A fragment (no _base_ of its own): the configs add the tokenizer
# (./pct-tokenizer_coco.py or ./pct-tokenizer_synthcoco.py), the codec and its pipelines
# (topdown_pipelines(input_size, codec, **_base_.pipeline_args)), the data and the epochs.
pipeline_args = dict(
    use_udp=False, keypoints_only=True,
    bbox_transform=dict(shift_factor=0.16, shift_prob=0.3, scale_factor=(0.5, 1.5), rotate_factor=40))
optim_wrapper = dict(optimizer=dict(type='AdamW', lr=1e-2, betas=(0.9, 0.999), weight_decay=0.15))
param_scheduler = [
    dict(type='LinearLR', begin=0, end=500, start_factor=0.001, by_epoch=False),
    # no end / T_max: the runner ends it at the config's train_cfg.max_epochs
    dict(type='CosineAnnealingLR', begin=0, eta_min_ratio=1e-5, by_epoch=True),
]
model = dict(
    type='PCTTokenizerEstimator',
    data_preprocessor=dict(type='BaseDataPreprocessor'),
    loss_joint=dict(type='JointSmoothL1Loss', beta=0.05, loss_weight=1.0),
    commit_weight=15.0,
    test_cfg=dict(flip_test=True),
)
