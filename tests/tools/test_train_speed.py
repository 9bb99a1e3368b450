"""tools/analysis_tools/train_speed.py: its COCO-layout data loads through the configs' data sets,
each run's command line gives the run it names, and the log is read after the warm-up."""
import json
import os
import os.path as osp

import pytest
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmpose.registry import DATASETS

import train_speed
from helpers.realdata import realdata_path
from vitpose_ext.compat import ENV, NAMES

pytestmark = pytest.mark.realdata


@pytest.fixture(scope='module')
def coco(tmp_path_factory):
    realdata_path('coco')  # skips without the real samples
    return train_speed.make_coco(str(tmp_path_factory.mktemp('data') / 'coco'), copies=3) + '/'


def args(**kw):
    defaults = dict(iters=5, fsdp_iters=2, batch=4, log_interval=1)
    return type('Args', (), dict(defaults, **kw))


def run_config(run, coco, work_dir):
    """The config a run trains: its file with the command line's --cfg-options applied."""
    cmd, env, iters, batch = train_speed.command(run, args(), coco, str(work_dir))
    namespace = type('Namespace', (), {})()
    DictAction(['--cfg-options'], 'opts')(None, namespace, cmd[cmd.index('--cfg-options') + 1:])
    config = cmd[cmd.index('--work-dir') - 1]
    old = os.environ.get('VITPOSE_DATA_ROOT')
    os.environ['VITPOSE_DATA_ROOT'] = env['VITPOSE_DATA_ROOT']
    try:
        cfg = Config.fromfile(config)
    finally:
        os.environ.pop('VITPOSE_DATA_ROOT') if old is None else os.environ.update(
            VITPOSE_DATA_ROOT=old)
    cfg.merge_from_dict(namespace.opts)
    return cfg, cmd, env, iters, batch


@pytest.mark.parametrize('run', ['ours', 'stock'])
def test_each_run_reads_the_copies_for_its_iterations(coco, tmp_path, run):
    cfg, cmd, env, iters, batch = run_config(run, coco, tmp_path)
    init_default_scope('mmpose')
    train = DATASETS.build(cfg.train_dataloader.dataset)
    assert len(train) == iters * batch == 20 and cfg.train_dataloader.batch_size == batch
    assert cfg.train_cfg.max_epochs == 1 < cfg.train_cfg.val_begin  # no validation
    assert cfg.log_processor.window_size == 1 and cfg.model.backbone.init_cfg is None
    assert osp.isfile(train.get_data_info(19)['img_path'])
    assert train[0]['inputs'].shape == (3, 256, 192)  # through the config's pipeline
    val = DATASETS.build(cfg.val_dataloader.dataset)  # the detections, one copy
    with open(realdata_path('coco', 'test_coco_det_AP_H_56.json')) as f:
        assert len(val) == sum(d['category_id'] == 1 for d in json.load(f))
    assert ('--amp' in cmd) is run.endswith('amp')


def test_the_stock_run_is_mmposes_config_with_only_the_mmpretrain_fix(coco, tmp_path):
    cfg, cmd, env, _, _ = run_config('stock-amp', coco, tmp_path)
    assert '/.mim/configs/' in cmd[2] and '--amp' in cmd
    # the fix applies before mmpretrain loads; MMPose's own imports are kept
    assert cfg.custom_imports.imports == ['vitpose_ext', 'mmpose.engine.optim_wrappers.'
                                          'layer_decay_optim_wrapper']
    off = env[ENV].split(',')
    assert sorted(off + ['mmpretrain_transformers5']) == sorted(NAMES)
    ours = train_speed.command('ours', args(), coco, str(tmp_path))[1]
    assert ENV not in ours or ours[ENV] == os.environ.get(ENV)


def test_an_fsdp_run_starts_one_process_with_the_configs_batch(coco, tmp_path):
    cmd, _, iters, batch = train_speed.command('fsdp-g', args(), coco, str(tmp_path))
    assert cmd[1:5] == ['-m', 'torch.distributed.run', '--nproc_per_node', '1']
    assert cmd[cmd.index('--launcher') + 1] == 'pytorch' and (iters, batch) == (2, 32)
    assert f'train_dataloader.dataset.indices={2 * 32}' in cmd


def test_the_speed_is_read_after_the_first_third(tmp_path):
    (tmp_path / 'run' / 'vis_data').mkdir(parents=True)
    lines = [dict(step=s, time=5.0 if s <= 30 else 0.5, data_time=0.05, memory=s)
             for s in range(10, 100, 10)] + [dict(step=100, coco_AP=0.0)]  # and a val line
    (tmp_path / 'run' / 'vis_data' / 'scalars.json').write_text(
        '\n'.join(json.dumps(line) for line in lines))
    r = train_speed.speed(str(tmp_path), batch=64, iters=90)
    assert r['img_s'] == 128 and r['data_share'] == pytest.approx(0.1) and r['points'] == 6
    assert r['memory'] == 90 and train_speed.speed(str(tmp_path / 'none'), 64, 90) is None
