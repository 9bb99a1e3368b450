# The runtime of every config here: MMPose's defaults plus this package's safety hooks.
custom_imports = dict(imports=['vitpose_ext'], allow_failed_imports=False)
default_scope = 'mmpose'

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=10),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='PoseVisualizationHook', enable=False),  # tools/test.py --show-dir
    badcase=dict(type='BadCaseAnalysisHook', enable=False, out_dir='badcase', metric_type='loss',
                 badcase_thr=5),  # tools/test.py --badcase
    # vitpose_ext (README "Safety and failure behaviour"): every random number generator seeded
    # from (seed, epoch) so that --resume continues exactly; a broken last checkpoint falls back
    # to the newest intact one; the run stops at the first non-finite loss and NaN weights are
    # never saved; a load_from checkpoint that does not fit the model is an error
    epoch_seed=dict(type='EpochSeedHook'),
    checkpoint_fallback=dict(type='CheckpointFallbackHook'),
    finite_loss=dict(type='FiniteLossHook'),
    load_check=dict(type='LoadCheckHook', allow_partial=False),
)
# keeps BatchNorm statistics (the decoders') equal on every GPU
custom_hooks = [dict(type='SyncBuffersHook')]

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
vis_backends = [dict(type='LocalVisBackend')]  # add dict(type='TensorboardVisBackend') with [vis]
visualizer = dict(type='PoseLocalVisualizer', vis_backends=vis_backends, name='visualizer')
log_processor = dict(type='LogProcessor', window_size=50, by_epoch=True, num_digits=6)
log_level = 'INFO'
load_from = None
resume = False
backend_args = dict(backend='local')
train_cfg = dict(by_epoch=True)
val_cfg = dict()
test_cfg = dict()
