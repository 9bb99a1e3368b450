"""Every config in configs/ parses, and its model builds."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmpose.registry import MODELS
from mmpose.utils import register_all_modules

from conftest import REPO

CONFIGS = sorted(p for p in glob.glob(osp.join(REPO, 'configs/**/*.py'), recursive=True)
                 if '_base_' not in p)


def test_there_are_configs():
    assert CONFIGS


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, REPO))
def test_config_builds(path):
    register_all_modules()
    cfg = Config.fromfile(path)
    assert 'vitpose_ext' in cfg.custom_imports['imports']
    model = MODELS.build(cfg.model)
    assert sum(p.numel() for p in model.parameters()) > 0
    for key in ('train_dataloader', 'val_dataloader', 'val_evaluator'):
        assert key in cfg
