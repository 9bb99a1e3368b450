"""Sharded training on the CPU: 2 processes (gloo) train a tiny ViTPose through MMEngine's
``FlexibleRunner`` with DDP, with ``FSDP2Strategy`` (PyTorch's ``fully_shard``) and with MMEngine's
``FSDPStrategy`` (FSDP1) / our ``FSDP1Strategy``, and compare (fsdp2_worker.py runs them, in
about 30 s on 2 cores).

Tolerance. Every run is fp32 on the same data in the same order; gloo averages 2 ranks, and
(a + b) / 2 does not depend on the order. What may differ is the order of the sums inside the
gradient norm that ``clip_grad`` takes (every step is clipped here: max_norm 0.2 against norms
of 0.3-0.4), over whole gradients (DDP) or over shards and then across ranks (FSDP): a few ulps
(1 ulp = 1.2e-7 relative) in the clipping factor, which AdamW turns into a few ulps of each
update (lr <= 1e-3, 4 steps). Measured: FSDP2 equals DDP bit for bit, FSDP1Strategy differs by
at most 1e-8. ``ATOL = 1e-6`` (with ``RTOL = 1e-5``) is 100x that, and far below a real
difference: bf16 compute ends 3.6e-3 away from DDP, MMEngine's FSDPStrategy as such 6.6e-4
(both asserted to be caught, so the comparison can fail).
"""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import FUNCTIONS, STRATEGIES

from helpers.common import REPO

import vitpose_ext  # noqa: F401  (registers FSDP1Strategy, FSDP2Strategy and the policies)

WORKER = osp.join(osp.dirname(osp.abspath(__file__)), 'fsdp2_worker.py')
ATOL, RTOL = 1e-6, 1e-5
LOSS_RTOL = 1e-6
WRAPPER_PREFIXES = ('_fsdp_wrapped_module.', '_checkpoint_wrapped_module.')


def close(a, b, atol=ATOL, rtol=RTOL):
    """Max |a - b| over the tensors of two equal-keyed (nested) state dicts, asserting
    ``torch.testing.assert_close`` with the stated tolerance."""
    if isinstance(a, dict):
        assert a.keys() == b.keys()
        return max([close(a[k], b[k], atol, rtol) for k in a] or [0.0])
    if not torch.is_tensor(a):
        assert a == b
        return 0.0
    torch.testing.assert_close(a, b, atol=atol, rtol=rtol)
    return (a.double() - b.double()).abs().max().item() if a.numel() else 0.0


def max_diff(a, b):
    return max((a[k].double() - b[k].double()).abs().max().item() for k in a
               if a[k].is_floating_point())


def clean(groups):
    """Groups with FSDP1's wrapper prefixes taken out of the parameter names."""
    def name(n):
        for prefix in WRAPPER_PREFIXES:
            n = n.replace(prefix, '')
        return n
    return sorted((lr, wd, tuple(name(n) for n in names)) for lr, wd, names in groups)


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    """{scenario: [rank 0 result, rank 1 result]} of every scenario of fsdp2_worker.py, and the
    folder holding the runs' work directories and the pretrained files."""
    out = str(tmp_path_factory.mktemp('fsdp2'))
    procs = []
    for rank in range(2):
        env = dict(os.environ, RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE='2',
                   OMP_NUM_THREADS='1', CUDA_VISIBLE_DEVICES='')
        procs.append(subprocess.Popen([sys.executable, WORKER, out, osp.join(out, 'init')],
                                      env=env, cwd=REPO, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, text=True))
    try:
        logs = [p.communicate(timeout=600)[0] for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    for p, log in zip(procs, logs):
        assert p.returncode == 0, log[-4000:]
    import fsdp2_worker
    results = {name: [torch.load(osp.join(out, f'{name}_rank{r}.pth'), weights_only=False)
                      for r in range(2)] for name in fsdp2_worker.SCENARIOS}
    return results, out


SHARDED = ['fsdp2_full', 'fsdp2_sharded', 'checkpointing', 'fsdp1']


@pytest.mark.slow
@pytest.mark.numerics
@pytest.mark.parametrize('name', SHARDED)
def test_sharded_training_equals_ddp(runs, name):
    """Losses of every iteration on both ranks, the weights and the AdamW state after 4
    iterations: FSDP2 (full / sharded checkpoints, activation checkpointing) and FSDP1Strategy
    against DDP, and the model is really sharded (each rank holds about half of it)."""
    results, _ = runs
    ddp, run = results['ddp'], results[name]
    for rank in range(2):
        torch.testing.assert_close(torch.tensor(run[rank]['losses']),
                                   torch.tensor(ddp[rank]['losses']), rtol=LOSS_RTOL, atol=0)
    close(run[0]['end'], ddp[0]['end'])
    close(run[0]['optimizer']['state'], ddp[0]['optimizer']['state'])
    assert len(run[0]['optimizer']['state']) == len(ddp[0]['end']) - 6  # 6 BatchNorm buffers
    # the run moved: its end is not its start
    assert max_diff(ddp[0]['end'], ddp[0]['start']) > 1e-3
    here = [run[r]['numel'][0] for r in range(2)]
    full = ddp[0]['numel'][1]
    assert ddp[0]['numel'][0] == full  # DDP: every rank holds everything
    assert all(0.4 * full < h < 0.6 * full for h in here), (here, full)


@pytest.mark.slow
@pytest.mark.numerics
def test_the_comparison_catches_real_differences(runs):
    """The same comparison flags a run that is really different: bf16 compute (FSDP2 mixed
    precision) and MMEngine's FSDPStrategy (per-shard gradient clipping, no weight decay) end
    far outside the tolerance; bf16 stays close enough to be a working run."""
    results, _ = runs
    ddp = results['ddp'][0]['end']
    for name, low, high in (('bf16', 1e-4, 5e-2), ('mmengine_fsdp', 1e-4, 1e-2)):
        diff = max_diff(results[name][0]['end'], ddp)
        assert low < diff < high, (name, diff)
        with pytest.raises(AssertionError):
            close(results[name][0]['end'], ddp)


@pytest.mark.slow
def test_layer_decay_groups_identical(runs):
    """ViTLayerDecayOptimWrapperConstructor builds the same groups (lr, weight decay, parameter
    names) on the sharded parameters as under DDP, on both ranks; MMEngine's FSDPStrategy as
    such does not (FSDP1's flattened shards all look 1-D: no weight decay anywhere), which is
    why the configs use FSDP1Strategy."""
    results, _ = runs
    ddp = results['ddp'][0]['groups']
    lrs = {lr for lr, _, _ in ddp}
    assert len(lrs) == 3 + 2  # 3 blocks, the embeddings and the final norm + head
    assert {wd for _, wd, _ in ddp} == {0.0, 0.1}
    assert sum(len(names) for _, wd, names in ddp if wd) == 16  # the weight matrices
    for name in SHARDED + ['bf16', 'load_from', 'resume_full', 'resume_sharded']:
        for rank in range(2):
            assert clean(results[name][rank]['groups']) == ddp, (name, rank)
    mmengine = clean(results['mmengine_fsdp'][0]['groups'])
    assert mmengine != ddp and {wd for _, wd, _ in mmengine} == {0.0}


@pytest.mark.slow
@pytest.mark.parametrize('kind', ['full', 'sharded'])
def test_resume_is_exact_under_sharding(runs, kind):
    """Resuming FSDP2 from its epoch-1 checkpoint (weights, AdamW state, lr scheduler, message
    hub) ends where the uninterrupted run ends, bit for bit; a full checkpoint is one file with
    DDP's weights under the model's own keys, a sharded one a folder of per-rank shards plus meta.pth."""
    results, out = runs
    ddp, resumed, whole = results['ddp'], results[f'resume_{kind}'], results[f'fsdp2_{kind}']
    ddp_epoch1 = torch.load(osp.join(out, 'ddp', 'epoch_1.pth'), weights_only=False)
    # FlexibleRunner's DDPStrategy saves the wrapper's keys ('module.'; load_from strips it)
    ddp_epoch1 = {k[len('module.'):]: v for k, v in ddp_epoch1['state_dict'].items()}
    close(resumed[0]['start'], ddp_epoch1, atol=0, rtol=0)
    for rank in range(2):  # iterations 3 and 4 (the first two come from rank 0's message hub)
        assert list(resumed[rank]['losses'][2:]) == list(whole[rank]['losses'][2:])
    close(resumed[0]['end'], whole[0]['end'], atol=0, rtol=0)
    close(resumed[0]['optimizer']['state'], whole[0]['optimizer']['state'], atol=0, rtol=0)
    path = osp.join(out, f'fsdp2_{kind}', 'epoch_1.pth')
    if kind == 'full':
        saved = torch.load(path, weights_only=False)
        close(saved['state_dict'], ddp_epoch1)  # the keys of Runner's checkpoints
        assert saved['meta']['epoch'] == 1 and saved['meta']['iter'] == 2
    else:
        files = os.listdir(path)
        assert 'meta.pth' in files and sum(f.endswith('.distcp') for f in files) == 2, files
    # the warm-up restarted from scratch would give other lrs and weights: the resumed run's
    # groups carry the scheduled lr of the last iteration, as the uninterrupted run's
    assert resumed[0]['groups'] == whole[0]['groups']


@pytest.mark.slow
def test_pretrained_weights_in_the_sharded_model(runs):
    """What the runs start from, gathered from the shards after wrapping: ``init_cfg`` weights
    (loaded before sharding) for DDP, FSDP2 and FSDP1; ``load_from`` of a checkpoint in another
    layout (``module.`` prefixes, a 5x5-grid position embedding that the backbone's load hook
    interpolates) equals what loading it into an unsharded model gives."""
    results, out = runs
    pretrained = torch.load(osp.join(out, 'pretrained.pth'))['state_dict']
    for name in ('ddp', 'fsdp2_full', 'fsdp2_sharded', 'checkpointing', 'bf16', 'fsdp1'):
        close(results[name][0]['start'], pretrained, atol=0, rtol=0)
    expected = torch.load(osp.join(out, 'expected_other_layout.pth'))
    close(results['load_from'][0]['start'], expected, atol=0, rtol=0)
    # the interpolated position embedding is not the pretrained one: loading did convert
    assert max_diff({'p': expected['backbone.pos_embed']},
                    {'p': pretrained['backbone.pos_embed']}) > 0.1


@pytest.mark.slow
def test_activation_checkpointing_saves_memory(runs):
    """Per-block activation checkpointing (FSDP2's composable checkpoint, MMEngine's
    apply_activation_checkpointing under FSDP1) keeps fewer tensors for backward than DDP;
    bf16 halves the rest."""
    results, _ = runs
    saved = {name: results[name][0]['saved_bytes'] for name in results}
    assert saved['fsdp2_full'] == saved['ddp']
    assert saved['checkpointing'] < 0.7 * saved['ddp']
    assert saved['fsdp1'] < 0.7 * saved['ddp']
    assert saved['bf16'] < 0.6 * saved['checkpointing']


# ---------------------------------------------------------------------- fast checks
def test_strategy_arguments_and_policies():
    from torch import nn
    from vitpose_ext.models.layers.block import Block
    from vitpose_ext.engine.strategies import vit_block_check_fn, vit_block_wrap_policy

    with pytest.raises(ValueError, match='state_dict_type'):
        STRATEGIES.build(dict(type='FSDP2Strategy', state_dict_type='local'))
    block = Block.__new__(Block)
    nn.Module.__init__(block)
    assert vit_block_wrap_policy(block, recurse=False, nonwrapped_numel=0)
    assert not vit_block_wrap_policy(nn.Linear(2, 2), recurse=False, nonwrapped_numel=0)
    assert vit_block_wrap_policy(nn.Linear(2, 2), recurse=True, nonwrapped_numel=0)
    assert vit_block_check_fn(block) and not vit_block_check_fn(nn.LayerNorm(2))
    assert FUNCTIONS.get('vit_block_wrap_policy') is vit_block_wrap_policy
    assert FUNCTIONS.get('vit_block_check_fn') is vit_block_check_fn


LARGE_CONFIGS = sorted(
    osp.relpath(p, REPO) for d in ('configs/vitpose', 'configs/vitpose_pp')
    for p in (osp.join(REPO, d, f) for f in os.listdir(osp.join(REPO, d)))
    if any(k in osp.basename(p) for k in ('fsdp', 'deepspeed')))


def test_large_model_configs_exist():
    # td-hm_vitpose-l-fsdp_..., td-hm_vitpose-pp-h-deepspeed_...: (size, engine)
    backbones = [osp.basename(cfg).split('_')[1].split('-') for cfg in LARGE_CONFIGS]
    kinds = {(parts[-2], parts[-1]) for parts in backbones}
    for size in ('l', 'h', 'g'):
        assert {(size, 'fsdp'), (size, 'deepspeed')} <= kinds, (size, LARGE_CONFIGS)
    assert sum('vitpose-pp-h' in c for c in LARGE_CONFIGS) == 2, LARGE_CONFIGS


@pytest.mark.parametrize('path', LARGE_CONFIGS)
def test_large_model_config_strategy(path):
    """The sharded configs run on FlexibleRunner with a registered strategy whose named
    functions resolve; what each engine needs is set (what building the model does not check:
    the strategy needs its GPU, DeepSpeed a package not installed here)."""
    cfg = Config.fromfile(osp.join(REPO, path))
    assert cfg.runner_type == 'FlexibleRunner'
    strategy = cfg.strategy
    assert strategy.type in STRATEGIES
    hooks = {h['type'] for h in cfg.custom_hooks}
    assert 'CompileModulesHook' not in hooks  # not tried with sharded models
    if 'fsdp' in path:
        assert strategy.type == 'FSDP1Strategy'
        wrapper = strategy.model_wrapper
        assert wrapper.use_orig_params and wrapper.sharding_strategy == 'FULL_SHARD'
        assert FUNCTIONS.get(wrapper.auto_wrap_policy.type) is not None
        assert FUNCTIONS.get(strategy.activation_checkpointing.check_fn) is not None
        assert wrapper.mixed_precision.param_dtype == 'bfloat16'
        assert cfg.optim_wrapper.type == 'OptimWrapper'
        assert cfg.optim_wrapper.clip_grad.max_norm == 1.0
        assert not cfg.model.backbone.get('with_cp', False)  # the strategy checkpoints
    else:
        assert strategy.type == 'DeepSpeedStrategy'
        assert strategy.zero_optimization.stage in (2, 3)
        assert strategy.bf16.enabled and strategy.inputs_to_half == ['inputs']
        assert strategy.gradient_clipping == 1.0
        assert cfg.optim_wrapper.type == 'DeepSpeedOptimWrapper'
        assert 'clip_grad' not in cfg.optim_wrapper  # DeepSpeedOptimWrapper does not take it
        # DeepSpeed's activation_checkpointing only configures its API: the blocks checkpoint
        assert cfg.model.backbone.with_cp
    assert cfg.optim_wrapper.constructor == 'ViTLayerDecayOptimWrapperConstructor'
