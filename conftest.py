"""Pytest hooks and fixtures of every test: the library's (tests/) and the projects'
(projects/<name>/tests/). Puts on ``sys.path`` tests/ (the shared helpers:
``from helpers.common import ...``) and tools/analysis_tools/ (the tools' shared modules, which
the tests use too: ``from config_utils import set_data_root``)."""
import os.path as osp
import sys

import pytest
import torch

REPO = osp.dirname(osp.abspath(__file__))
for folder in (osp.join(REPO, 'tools', 'analysis_tools'), osp.join(REPO, 'tests')):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from vitpose_ext.datasets.synthetic import make_synthetic_coco  # noqa: E402
from vitpose_ext.datasets.synthetic import QUADRUPED  # noqa: E402


def pytest_collection_modifyitems(config, items):
    """Tests marked ``cuda`` are skipped where no CUDA GPU is available."""
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason='needs a CUDA GPU')
    for item in items:
        if 'cuda' in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope='session')
def synth_root(tmp_path_factory):
    """A small synthetic COCO-keypoints set shared by the runner tests."""
    root = str(tmp_path_factory.mktemp('synth_coco'))
    return make_synthetic_coco(root, num_train=24, num_val=8, seed=1, width=128, height=128)


@pytest.fixture(scope='session')
def synth_quadruped_root(tmp_path_factory):
    """A small synthetic quadruped set (AP-10K keypoints), the second data set of multi-task
    (ViTPose++) tests."""
    root = str(tmp_path_factory.mktemp('synth_quadruped'))
    return make_synthetic_coco(root, num_train=24, num_val=8, seed=2, width=128, height=128,
                               skeleton=QUADRUPED)
