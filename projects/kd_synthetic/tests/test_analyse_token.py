"""projects/kd_synthetic/tools/analyse_token.py: what it reads from a stage-1 run's log."""
import importlib.util
import json
import os.path as osp

import pytest
import torch
from mmpose.registry import MODELS

from helpers.common import REPO

spec = importlib.util.spec_from_file_location(
    'kd_analyse_token', osp.join(REPO, 'projects/kd_synthetic/tools/analyse_token.py'))
analyse_token = importlib.util.module_from_spec(spec)
spec.loader.exec_module(analyse_token)


def test_stage1_log_reads_gradients_and_the_loss_of_the_first_and_last_epoch(tmp_path):
    (tmp_path / 'run' / 'vis_data').mkdir(parents=True)
    records = [dict(epoch=1, iter=10, loss=0.4, grad_norm=1.0),
               dict(epoch=1, iter=20, loss=0.2, grad_norm=2.0),
               dict(epoch=2, iter=30, loss=0.1, grad_norm=3.0),
               dict(epoch=2, step=2, **{'coco/AP': 0.5}),  # a validation record
               dict(epoch=3, iter=40, loss=0.05, grad_norm=4.0)]
    with open(tmp_path / 'run' / 'vis_data' / 'scalars.json', 'w') as f:
        f.writelines(json.dumps(r) + '\n' for r in records)
    first, last, loss_first, loss_last = analyse_token.stage1_log(str(tmp_path))
    assert (first, last) == (1.0, 4.0)
    assert loss_first == pytest.approx(0.3) and loss_last == pytest.approx(0.05)


def test_token_spread_is_zero_for_one_image_and_positive_across_images():
    torch.manual_seed(0)
    backbone = MODELS.build(dict(type='ViTPoseBackbone', img_size=(32, 32), patch_size=8,
                                 num_extra_tokens=1,  # the knowledge token of a stage-1 model
                                 arch=dict(embed_dims=16, num_layers=2, num_heads=2,
                                           mlp_ratio=2.0)))
    backbone.init_weights()
    backbone.eval()
    image = torch.randn(1, 3, 32, 32)
    assert analyse_token.token_spread(backbone, [image.repeat(4, 1, 1, 1)]) < 1e-10
    spread = analyse_token.token_spread(backbone, [torch.randn(4, 3, 32, 32)] * 2)
    assert 0.0 < spread < 1.0
