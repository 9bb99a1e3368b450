"""One rank of the 2-process gloo run behind test_fsdp2.py.

    RANK=r WORLD_SIZE=2 python tests/engine/strategies/fsdp2_worker.py OUT INIT_FILE [SCENARIO ...]

Trains a tiny ViTPose (tests/helpers/common.py's ``tiny_vitpose_cfg``, 3 blocks, BatchNorm in
the head) through MMEngine's ``FlexibleRunner`` on fixed in-memory samples, 2 epochs of 2
iterations per rank, in the scenarios of ``SCENARIOS`` (all, or those named) one after the other
in one process group, and writes per scenario and rank ``OUT/<scenario>_rank<r>.pth``: the
per-iteration losses of this rank, the optimizer's groups (lr, weight decay, parameter names, on
this rank), the full weights at the start (after init_cfg / load_from / resume) and at the end,
the full optimizer state at the end (rank 0; gathered from the shards for FSDP), how many
parameter elements this rank holds, and the bytes autograd saves in one forward pass.

Rank 0 also writes ``OUT/pretrained.pth`` (the "pretrained" weights, another seed than the runs),
``OUT/pretrained_other_layout.pth`` (the same weights with ``module.`` prefixes and a position
embedding for a 5x5 grid, which the backbone's load hook interpolates to the model's 4x4) and ``OUT/expected_other_layout.pth`` (what loading that file gives an unsharded model).
"""
import copy
import os
import os.path as osp
import sys

import torch
import torch.distributed as torch_dist
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import FlexibleRunner
from mmengine.structures import InstanceData, PixelData
from torch.distributed.checkpoint.state_dict import (StateDictOptions, get_model_state_dict,
                                                     get_optimizer_state_dict)
from torch.distributed.tensor import DTensor

sys.path.insert(0, osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))  # tests/
from helpers.common import tiny_vitpose_cfg  # noqa: E402

NUM_SAMPLES, BATCH, EPOCHS = 8, 2, 2  # 2 ranks x 2 iterations of 2 samples per epoch
MODEL = dict(dims=32, num_layers=3, num_heads=2)
FSDP2 = dict(type='FSDP2Strategy')
DDP = dict(type='DDPStrategy', model_wrapper=dict(  # DDP on the CPU: no device ids
    type='MMDistributedDataParallel', broadcast_buffers=False, device_ids=None))
# MMEngine's own FSDPStrategy (FSDP1) as the configs use it. On the CPU: the device, and full
# state dicts without offload_to_cpu (FSDP1's clone of an offloaded CPU tensor segfaults)
FULL = dict(offload_to_cpu=False, rank0_only=True)
FSDP1 = dict(type='FSDPStrategy',
             state_dict_cfg=dict(
                 state_dict_type='FULL_STATE_DICT',
                 state_dict_config=dict(type='FullStateDictConfig', **FULL),
                 optim_state_dict_config=dict(type='FullOptimStateDictConfig', **FULL)),
             model_wrapper=dict(type='MMFullyShardedDataParallel', device_id='cpu',
                                use_orig_params=True,
                                auto_wrap_policy=dict(type='vit_block_wrap_policy')))
BF16 = dict(param_dtype='bfloat16', reduce_dtype='float32')
# name -> (strategy, FlexibleRunner arguments); 'pretrained' / 'other_layout' stand for the files
SCENARIOS = {
    'ddp': (DDP, {}),
    'fsdp2_full': (dict(FSDP2, state_dict_type='full'), {}),
    'fsdp2_sharded': (dict(FSDP2, state_dict_type='sharded'), {}),
    'resume_full': (dict(FSDP2, state_dict_type='full'),
                    dict(resume=True, load_from='fsdp2_full/epoch_1.pth')),
    'resume_sharded': (dict(FSDP2, state_dict_type='sharded'),
                       dict(resume=True, load_from='fsdp2_sharded/epoch_1.pth')),
    'load_from': (FSDP2, dict(load_from='other_layout')),
    'checkpointing': (dict(FSDP2, activation_checkpointing=True), {}),
    'bf16': (dict(FSDP2, activation_checkpointing=True, mixed_precision=BF16), {}),
    # MMEngine's FSDPStrategy as such: the weight-decay groups go wrong (fsdp1.py)
    'mmengine_fsdp': (FSDP1, {}),
    'fsdp1': (dict(FSDP1, type='FSDP1Strategy',
                   activation_checkpointing=dict(check_fn='vit_block_check_fn')), {}),
}


class FixedPoseSamples(torch.utils.data.Dataset):
    """``NUM_SAMPLES`` packed top-down samples (64x64 image, 17 16x16 heatmaps), each a function
    of its index: no files, no augmentation."""

    def __len__(self):
        return NUM_SAMPLES

    def __getitem__(self, i):
        from mmpose.structures import PoseDataSample
        g = torch.Generator().manual_seed(i)
        sample = PoseDataSample(metainfo=dict(input_size=(64, 64)))
        sample.gt_fields = PixelData(heatmaps=torch.rand(17, 16, 16, generator=g))
        sample.gt_instance_labels = InstanceData(
            keypoint_weights=(torch.rand(1, 17, generator=g) > 0.2).float())
        return dict(inputs=torch.randint(0, 256, (3, 64, 64), generator=g, dtype=torch.uint8),
                    data_samples=sample)


def full_state(model, optimizer=None):
    """(weights, optimizer state keyed by parameter names) of ``model``, unsharded, on rank 0
    ({} elsewhere for the sharded models); DDP, FSDP1 and FSDP2 alike."""
    options = StateDictOptions(full_state_dict=True,
                               cpu_offload=type(model).__name__ != 'MMFullyShardedDataParallel')
    state = get_model_state_dict(model, options=options)
    optim = (get_optimizer_state_dict(model, optimizer, options=options)
             if optimizer is not None else None)
    return copy.deepcopy(state), copy.deepcopy(optim)


def local_numel(model):
    """(parameter elements held by this rank, elements of the whole model)."""
    params = list(model.parameters())
    here = sum(p.to_local().numel() if isinstance(p, DTensor) else p.numel() for p in params)
    return here, sum(p.numel() for p in (model.module if is_model_wrapper(model) else
                                          model).parameters())


def saved_bytes(model):
    """Bytes autograd saves for backward in one training-mode forward of 2 images
    (tools/analysis_tools/benchmark_utils.py's saved_activation_bytes)."""
    from benchmark_utils import saved_activation_bytes
    torch.manual_seed(0)
    outs = []
    total = saved_activation_bytes(lambda x: outs.append(model(x, None, mode='tensor')),
                                   torch.randn(2, 3, 64, 64))
    outs[0].float().sum().backward()  # completes the FSDP state machine; gradients unused
    return total


class RecordStart(Hook):
    """Keeps the weights the run starts from (after init_cfg / load_from / resume)."""

    def before_run(self, runner):
        self.state, _ = full_state(runner.model)


def run(name, out):
    strategy, extra = copy.deepcopy(SCENARIOS[name])
    files = dict(pretrained=osp.join(out, 'pretrained.pth'),
                 other_layout=osp.join(out, 'pretrained_other_layout.pth'))
    if 'load_from' in extra:
        extra['load_from'] = files.get(extra['load_from'], osp.join(out, extra['load_from']))
    if strategy['type'] in ('FSDPStrategy', 'FSDP1Strategy'):
        strategy['model_wrapper']['device_id'] = torch.device('cpu')
    model = tiny_vitpose_cfg(**MODEL)
    if 'load_from' not in extra:  # init_cfg: loaded by init_weights, before wrapping
        model['init_cfg'] = dict(type='Pretrained', checkpoint=files['pretrained'])
    start = RecordStart()
    runner = FlexibleRunner(
        model=model, work_dir=osp.join(out, name), experiment_name=f'fsdp2_{name}',
        strategy=strategy, launcher='pytorch', default_scope='mmpose',
        randomness=dict(seed=0),
        train_dataloader=dict(dataset=FixedPoseSamples(), batch_size=BATCH, num_workers=0,
                              sampler=dict(type='DefaultSampler', shuffle=True),
                              collate_fn=dict(type='pseudo_collate')),
        train_cfg=dict(by_epoch=True, max_epochs=EPOCHS),
        optim_wrapper=dict(
            optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.999), weight_decay=0.1),
            constructor='ViTLayerDecayOptimWrapperConstructor',
            paramwise_cfg=dict(layer_decay_rate=0.75),
            # below the gradient norms of these runs (0.3-0.6): every step is clipped, so the
            # norm over the shards takes part in the comparison
            clip_grad=dict(max_norm=0.2)),
        # a warm-up over the 4 iterations: resuming at iteration 2 has to restore it
        param_scheduler=dict(type='LinearLR', start_factor=0.25, by_epoch=False, begin=0,
                             end=4),
        default_hooks=dict(
            timer=dict(type='IterTimerHook'), logger=dict(type='LoggerHook', interval=1),
            param_scheduler=dict(type='ParamSchedulerHook'),
            checkpoint=dict(type='CheckpointHook', interval=1),
            epoch_seed=dict(type='EpochSeedHook'), finite_loss=dict(type='FiniteLossHook'),
            load_check=dict(type='LoadCheckHook')),
        # SyncBuffersHook as in every config here: BatchNorm statistics equal on all ranks
        custom_hooks=[dict(type='SyncBuffersHook'), start], **extra)
    runner.train()
    optimizer = runner.optim_wrapper.optimizer
    end, optim_state = full_state(runner.model, optimizer)
    result = dict(
        losses=runner.message_hub.get_scalar('train/loss').data[0],
        groups=sorted((g['lr'], g['weight_decay'], tuple(g['param_names']))
                      for g in optimizer.param_groups),
        start=start.state, end=end, optimizer=optim_state,
        numel=local_numel(runner.model), saved_bytes=saved_bytes(runner.model))
    torch.save(result, osp.join(out, f'{name}_rank{torch_dist.get_rank()}.pth'))
    torch_dist.barrier()


def write_pretrained(out):
    """The three files of the module docstring (rank 0)."""
    from mmpose.registry import MODELS
    torch.manual_seed(123)
    model = MODELS.build(tiny_vitpose_cfg(**MODEL))
    model.init_weights()
    state = model.state_dict()
    torch.save(dict(state_dict=state), osp.join(out, 'pretrained.pth'))
    other = {'module.' + k: v.clone() for k, v in state.items()}
    # a position embedding for a 5x5 grid: the backbone's load hook interpolates it to 4x4
    other['module.backbone.pos_embed'] = torch.randn(1, 25, state['backbone.pos_embed'].shape[2])
    torch.save(dict(state_dict=other), osp.join(out, 'pretrained_other_layout.pth'))
    model.load_state_dict({k[len('module.'):]: v for k, v in other.items()})  # hooks run
    torch.save(copy.deepcopy(model.state_dict()), osp.join(out, 'expected_other_layout.pth'))


def main():
    out, init_file, names = sys.argv[1], sys.argv[2], sys.argv[3:] or list(SCENARIOS)
    torch.set_num_threads(1)
    torch_dist.init_process_group('gloo', init_method=f'file://{init_file}',
                                  rank=int(os.environ['RANK']),
                                  world_size=int(os.environ['WORLD_SIZE']))
    os.environ.setdefault('LOCAL_RANK', os.environ['RANK'])
    import vitpose_ext  # noqa: F401  (registers the modules and FSDP2Strategy)
    from mmpose.utils import register_all_modules
    register_all_modules()
    if torch_dist.get_rank() == 0:
        write_pretrained(out)
    torch_dist.barrier()
    for name in names:
        run(name, out)
    torch_dist.destroy_process_group()


if __name__ == '__main__':
    main()
