"""Pytest hooks and fixtures. Helpers the test files share are in helpers/common.py."""
import pytest
import torch

from vitpose_ext.datasets.synthetic import make_synthetic_coco
from vitpose_ext.datasets.synthetic import QUADRUPED


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
