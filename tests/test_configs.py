"""Every config in configs/ and projects/*/configs/ parses, builds its model and reads alone."""
import ast
import gc
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmpose.utils import register_all_modules

from helpers.common import REPO, build_uninitialised

ALL_FILES = sorted(glob.glob(osp.join(REPO, 'configs/**/*.py'), recursive=True)
                   + glob.glob(osp.join(REPO, 'projects/*/configs/**/*.py'), recursive=True))
CONFIGS = [p for p in ALL_FILES if '_base_' not in p]


@pytest.fixture(scope='module', autouse=True)
def young_heap():
    """The objects that exist when this module starts (torch, MMPose, every module imported,
    earlier tests' objects) moved out of the collector's reach for the module's duration, so
    that each ``gc.collect()`` below looks at what was made since (the models' cycles) only:
    0.01 s instead of 0.18 s a config, 12 s of the 69 builds. Back in reach afterwards."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_config_builds(path):
    register_all_modules()
    cfg = Config.fromfile(path)
    assert 'vitpose_ext' in cfg.custom_imports['imports']
    hooks = {h['type'] for h in cfg.default_hooks.values()}
    assert {'EpochSeedHook', 'CheckpointFallbackHook', 'FiniteLossHook', 'LoadCheckHook'} <= hooks
    assert 'SyncBuffersHook' in {h['type'] for h in cfg.custom_hooks}
    model = build_uninitialised(cfg.model)  # building is what is checked
    del model
    gc.collect()  # modules holding their own bound hooks are cycles: free ViT-G's 4 GB now
    for key in ('train_dataloader', 'val_dataloader', 'val_evaluator'):
        assert key in cfg


def test_config_names_are_unique():
    """mim train / test vitpose_ext NAME finds a config by its file name."""
    names = [osp.basename(p) for p in CONFIGS]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def _bases(path):
    """The files a config names in ``_base_`` (its first statement)."""
    first = ast.parse(open(path).read()).body[0]
    if not (isinstance(first, ast.Assign) and getattr(first.targets[0], 'id', '') == '_base_'):
        return []
    names = ast.literal_eval(first.value)
    return [osp.normpath(osp.join(osp.dirname(path), b))
            for b in ([names] if isinstance(names, str) else names)]


def _depth(path):
    """Levels of ``_base_`` below ``path`` that inherit themselves: fragments without a
    ``_base_`` of their own (the runtime, a data set, a tokenizer, a backbone and schedule) are
    not counted."""
    return max((1 + _depth(b) for b in _bases(path) if _bases(b)), default=0)


def _chain(path):
    """``path`` and every file it inherits from, fragments included."""
    return [path] + [f for b in _bases(path) for f in _chain(b)]


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_config_reads_alone(path):
    """A family's recipe and its variants: at most two levels of _base_ below the runtime and the
    fragments (a variant of a variant of the recipe), and no copied pipeline anywhere in the
    chain: the top-down pipelines come from vitpose_ext.utils.pipelines.topdown_pipelines."""
    assert _depth(path) <= 2, [osp.relpath(b, REPO) for b in _bases(path)]
    for name in _chain(path):
        assert "type='TopdownAffine'" not in open(name).read(), osp.relpath(name, REPO)


def test_pipelines_equal_mmposes_vitpose_config():
    """The helper's pipelines are MMPose's own ViTPose-B COCO ones, transform for transform."""
    import mmpose
    stock = Config.fromfile(osp.join(
        osp.dirname(mmpose.__file__), '.mim/configs/body_2d_keypoint/topdown_heatmap/coco/'
        'td-hm_ViTPose-base_8xb64-210e_coco-256x192.py'))
    ours = Config.fromfile(osp.join(REPO, 'configs/vitpose/td-hm_vitpose-b_8xb64-210e_coco-256x192.py'))
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        assert ours[key].dataset.pipeline == stock[key].dataset.pipeline, key


def test_resolved_configs_equal_their_snapshots():
    """A change to a base file shows up as a reviewed diff of every config it reaches:
    tests/data/config_snapshots holds each config as MMEngine resolves it."""
    import sys
    sys.path.insert(0, osp.join(REPO, 'tools'))
    from print_config import differences
    diffs = differences()
    assert not diffs, ''.join(d for _, d in diffs)[:4000] + (
        '\nreview, then: python tools/print_config.py --update')


def _codecs_in_use(node, key=None):
    """Every codec a resolved config builds: heads' ``decoder``, ``GenerateTarget``'s
    ``encoder`` and an estimator's ``codec`` (a tokenizer's encoder and decoder have no type)."""
    if isinstance(node, dict):
        if key in ('decoder', 'encoder', 'codec') and node.get('type') not in (None, 'GenerateTarget'):
            yield node
        for k, value in node.items():
            yield from _codecs_in_use(value, k)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _codecs_in_use(value)


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_the_codec_is_the_one_in_use(path):
    """The top-level ``codec`` (what tools read: benchmark_heads.py) is the codec the heads decode
    and the pipelines encode with. MMEngine merges an inherited codec key by key, so a variant
    that changes the label type has to reset what its base set (e.g. SimDR's label_smoothing)."""
    cfg = Config.fromfile(path)._cfg_dict.to_dict()
    used = list(_codecs_in_use({k: cfg[k] for k in cfg if k != 'codec'}))
    if 'codec' not in cfg:
        assert not used, 'codecs in use but no top-level codec'
        return
    assert used and all(c == cfg['codec'] for c in used), (cfg['codec'], used)


def _data_paths(node):
    """(key, value) of every data path of a resolved config: data roots, detection and head-box
    files, and annotation files that are not relative to a data root."""
    if isinstance(node, dict):
        has_root = 'data_root' in node
        for key, value in node.items():
            if isinstance(value, str) and (key in ('data_root', 'bbox_file', 'headbox_file') or (
                    key == 'ann_file' and not has_root)):
                yield key, value
            else:
                yield from _data_paths(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from _data_paths(value)


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_one_switch_moves_every_data_path(path, monkeypatch):
    """VITPOSE_DATA_ROOT (README "Training and testing with MMPose's own tools") reaches every
    dataloader, evaluator, detection and head-box file: with it set, no path is left under the
    default data/ folder."""
    default = list(_data_paths(Config.fromfile(path)._cfg_dict.to_dict()))
    monkeypatch.setenv('VITPOSE_DATA_ROOT', '/elsewhere')
    moved = list(_data_paths(Config.fromfile(path)._cfg_dict.to_dict()))
    assert len(moved) == len(default)
    for (key, before), (_, after) in zip(default, moved):
        if before.startswith('data/'):
            assert after == '/elsewhere/' + before[len('data/'):], (key, before, after)
        else:  # e.g. a test's own folder
            assert after == before, (key, before, after)
    assert not [kv for kv in moved if kv[1].startswith('data/')]


@pytest.mark.parametrize('max_epochs', [None, 7])
def test_pct_stage1_cosine_ends_at_the_last_epoch(max_epochs, synth_root, tmp_path):
    """PCT stage 1's cosine (configs/pct/_base_/pct-tokenizer_stage1.py, shared by configs of 50
    and 60 epochs) names no end: the runner ends it at train_cfg.max_epochs, the config's own or
    one given on the command line."""
    from config_utils import set_data_root
    from mmengine.runner import Runner
    cfg = set_data_root(Config.fromfile(
        osp.join(REPO, 'configs/pct/pct-tokenizer_1xb64-60e_synthcoco-128x96.py')), synth_root)
    cfg.work_dir = str(tmp_path)
    cfg.train_dataloader.update(num_workers=0, persistent_workers=False)
    if max_epochs:
        cfg.train_cfg.max_epochs = max_epochs
    runner = Runner.from_cfg(cfg)
    runner._train_loop = runner.build_train_loop(runner._train_loop)  # as Runner.train() does
    runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    warmup, cosine = runner.build_param_scheduler(runner.param_schedulers)
    assert (warmup.begin, warmup.end, warmup.by_epoch) == (0, 500, False)
    assert (cosine.begin, cosine.end, cosine.T_max) == (0, max_epochs or 60, max_epochs or 60)
