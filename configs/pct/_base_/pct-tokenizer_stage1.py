# PCT stage 1, the reference recipe's estimator and optimizer, shared by the COCO and the
# synthetic tokenizer configs: the pose tokenizer trained from keypoint annotations only
# (PCTTokenizerEstimator, no image read), smooth-L1 (beta 0.05 px) on the joints + 15 x the
# commitment loss, AdamW lr 1e-2, wd 0.15, flip test. A fragment (no _base_ of its own): the
# configs add the tokenizer (./pct-tokenizer_coco.py or ./pct-tokenizer_synthcoco.py), the codec,
# the data and the epochs.
optim_wrapper = dict(optimizer=dict(type='AdamW', lr=1e-2, betas=(0.9, 0.999), weight_decay=0.15))
model = dict(
    type='PCTTokenizerEstimator',
    data_preprocessor=dict(type='BaseDataPreprocessor'),
    loss_joint=dict(type='JointSmoothL1Loss', beta=0.05, loss_weight=1.0),
    commit_weight=15.0,
    test_cfg=dict(flip_test=True),
)
