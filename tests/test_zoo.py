"""The model zoo as mim sees it: `mim search vitpose_ext` lists the metafiles' models, and
`mim train / test vitpose_ext CONFIG_NAME` find a config by name outside the clone."""
import glob
import os.path as osp
import shutil
import subprocess
import sys

import pytest
import yaml

from helpers.common import REPO
from vitpose_ext.datasets.synthetic import make_synthetic_coco

MIM = osp.join(osp.dirname(sys.executable), 'mim')
pytestmark = pytest.mark.skipif(shutil.which(MIM) is None, reason='needs openmim')


def test_every_metafile_model_names_an_existing_config():
    index = yaml.safe_load(open(osp.join(REPO, 'model-index.yml')))
    names = []
    for metafile in index['Import']:
        for model in yaml.safe_load(open(osp.join(REPO, metafile)))['Models']:
            assert osp.isfile(osp.join(REPO, model['Config'])), model['Config']
            assert model['Name'] == osp.splitext(osp.basename(model['Config']))[0]
            assert model['Weights'].startswith('https://') and '--format' in model['Code']
            names.append(model['Name'])
    assert len(names) == len(set(names)) == 11


@pytest.mark.slow
def test_mim_search_finds_the_models(tmp_path):
    out = subprocess.run([MIM, 'search', 'vitpose_ext'], capture_output=True, text=True,
                         cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert 'td-hm_vitpose-b_8xb64-210e_coco-256x192' in out.stdout
    assert out.stdout.count('config id:') == 11


@pytest.mark.slow
def test_mim_train_and_test_by_config_name_outside_the_clone(tmp_path):
    make_synthetic_coco(str(tmp_path / 'data' / 'synth_coco'), num_train=16, num_val=4, seed=0,
                        width=128, height=128)
    name = 'td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py'
    options = ['--cfg-options', 'train_cfg.max_epochs=1', 'train_dataloader.batch_size=8',
               'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
               'val_dataloader.num_workers=0', 'val_dataloader.persistent_workers=False',
               'test_dataloader.num_workers=0', 'test_dataloader.persistent_workers=False',
               'param_scheduler.0.end=1']
    run = subprocess.run([MIM, 'train', 'vitpose_ext', name, '--work-dir', 'work'] + options,
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    (checkpoint, ) = glob.glob(str(tmp_path / 'work' / 'epoch_1.pth'))
    run = subprocess.run([MIM, 'test', 'vitpose_ext', name, '--checkpoint', checkpoint,
                          '--work-dir', 'work'] + options, capture_output=True, text=True,
                         cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert 'coco/AP' in run.stdout + run.stderr
