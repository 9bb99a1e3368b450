"""tools/analysis_tools/dtype_delta.py: keypoint moves between precisions, per score band."""
import os.path as osp

import numpy as np
import pytest

import dtype_delta
from helpers.common import REPO, perturbed_checkpoint
from helpers.realdata import realdata_path
from model_families import FAMILIES


def test_rows_split_by_score():
    moved = np.array([[0.0, 2.0, 0.1], [0.2, 0.4, 5.0]])
    scores = np.array([[-0.1, 0.2, 0.4], [0.6, 1.2, 0.1]])  # heatmap maxima leave [0, 1]
    rows = dtype_delta.delta_rows('bf16 vs fp32', moved, scores, far=1.0)
    assert [r[1] for r in rows] == ['all', '< 0.3', '0.3-0.5', '>= 0.5']
    assert [r[2] for r in rows] == [6, 3, 1, 2]
    assert [r[3] for r in rows] == ['1.283', '2.333', '0.100', '0.300']
    assert [r[6] for r in rows] == [2, 2, 0, 0]  # the two moves above 1 px, both low-scored


def test_at_least_two_precisions():
    with pytest.raises(SystemExit):
        dtype_delta.parse_args(['c.py', 'w.pth', 'imgs', '--bbox-file', 'd.json',
                                '--dtypes', 'bf16'])


@pytest.mark.slow
@pytest.mark.realdata
def test_same_precision_moves_nothing_and_bf16_moves_little(tmp_path, capsys):
    folder = realdata_path('coco')
    config = osp.join(REPO, FAMILIES['vitpose'])
    dtype_delta.main([config, perturbed_checkpoint(config, tmp_path / 'model.pth'), folder,
                      '--bbox-file', osp.join(folder, 'test_coco_det_AP_H_56.json'),
                      '--ann-file', osp.join(folder, 'test_coco.json'),
                      '--dtypes', 'fp32', 'fp32', 'bf16'])
    rows = {(r[0], r[1]): r[2:] for r in (
        [c.strip() for c in line.strip('|').split('|')]
        for line in capsys.readouterr().out.splitlines() if line.startswith('| fp32') or
        line.startswith('| bf16'))}
    same, bf16 = rows[('fp32 vs fp32', 'all')], rows[('bf16 vs fp32', 'all')]
    assert int(same[0]) == int(bf16[0]) == 118 * 17  # every keypoint of the sample's boxes
    assert float(same[1]) == 0 and int(same[4]) == 0
    assert 0 < float(bf16[2]) < 1  # median px: rounding, not a different pose
