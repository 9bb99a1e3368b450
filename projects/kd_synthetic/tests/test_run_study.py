"""projects/kd_synthetic/tools/run_study.py: every run's config, variants included, is what its
name says and its ``model.teacher_checkpoint`` (which the model's ``init_weights()`` loads) is
the last checkpoint of the run before."""
import importlib.util
import os
import os.path as osp

import pytest

from helpers.common import REPO

spec = importlib.util.spec_from_file_location(
    'kd_run_study', osp.join(REPO, 'projects/kd_synthetic/tools/run_study.py'))
run_study = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_study)


@pytest.fixture
def args(tmp_path):
    args = run_study.parse_args(['--work-root', str(tmp_path),
                                 '--cfg-options', 'train_dataloader.num_workers=1'])
    for name in ('teacher', 'token', 'token-20e'):  # finished stage runs the students load
        os.makedirs(run_study.work_dir(args, name, 0))
        with open(osp.join(run_study.work_dir(args, name, 0), 'last_checkpoint'), 'w') as f:
            f.write(f'{name}.pth')
    return args


@pytest.mark.parametrize('name', list(run_study.RUNS))
def test_run_config(args, name):
    cfg = run_study.run_config(args, name, seed=1)
    config, teacher_run, seeded, _ = run_study.RUNS[name]
    assert cfg.randomness.seed == (1 if seeded else 0)
    assert cfg.train_dataloader.num_workers == 1
    assert cfg.work_dir.endswith(name + ('-seed1' if seeded else ''))
    assert cfg.model.get('teacher_checkpoint') == (
        None if teacher_run is None else f'{teacher_run}.pth')
    if '-w' in name:  # the token loss weight of the name, on a loss the config has
        weight = float(name.split('-w')[1])
        assert cfg.model.loss_token.type == 'MSELoss'
        assert cfg.model.loss_token.loss_weight == weight != 0.01
    elif name in ('td', 'tod'):
        assert cfg.model.loss_token.loss_weight == 0.01
    if name == 'token-20e':
        assert cfg.train_cfg.max_epochs == 20
    elif name == 'token':
        assert cfg.train_cfg.max_epochs == 5
