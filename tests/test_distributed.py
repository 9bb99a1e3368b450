"""Two processes (gloo, MMEngine's Runner with launcher='pytorch') train a tiny ViTPose, a
ViTPose++ (MoE routing, one head per data set) and a PCT tokenizer (EMA codebook): both ranks end
with identical weights and buffers, and the distributed test metric equals one process's on the
same checkpoint."""
import json
import os
import os.path as osp
import socket
import subprocess
import sys

import pytest
import torch
from mmengine.runner import Runner

from helpers.common import REPO, tiny_run_cfg
from model_families import CONFIGS

FAMILIES = {name: CONFIGS[name] for name in ('vitpose', 'vitpose-pp', 'pct-tokenizer')}


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.mark.slow
@pytest.mark.parametrize('family', FAMILIES)
def test_two_ranks_agree_with_each_other_and_with_one_process(family, synth_root,
                                                              synth_quadruped_root, tmp_path):
    config = osp.join(REPO, FAMILIES[family])
    roots = [synth_root, synth_quadruped_root] if family == 'vitpose-pp' else [synth_root]
    port = free_port()
    procs = []
    for rank in range(2):
        env = dict(os.environ, RANK=str(rank), LOCAL_RANK=str(rank), WORLD_SIZE='2',
                   MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port), OMP_NUM_THREADS='1',
                   PYTHONPATH=os.pathsep.join([REPO, os.environ.get('PYTHONPATH', '')]))
        procs.append(subprocess.Popen(
            [sys.executable, osp.join(REPO, 'tests/helpers/distributed_run.py'), config,
             str(tmp_path)] + roots, env=env, cwd=REPO, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True))
    outputs = [p.communicate(timeout=600)[0] for p in procs]
    for p, out in zip(procs, outputs):
        assert p.returncode == 0, out[-3000:]

    ranks = [torch.load(tmp_path / f'rank{r}.pth') for r in range(2)]
    assert ranks[0].keys() == ranks[1].keys()
    differ = [k for k in ranks[0] if not torch.equal(ranks[0][k], ranks[1][k])]
    assert not differ, f'the ranks differ in {differ}'
    if family == 'pct-tokenizer':
        assert any(k.endswith('codebook') for k in ranks[0])

    # one process, the same checkpoint, the same test set
    cfg = tiny_run_cfg(config, roots if len(roots) > 1 else roots[0], tmp_path / 'single')
    cfg.load_from = str(tmp_path / 'work' / 'epoch_1.pth')
    single = Runner.from_cfg(cfg).test()
    distributed = json.load(open(tmp_path / 'metrics.json'))
    assert distributed.keys() == {k for k in single}
    for key, value in single.items():
        assert distributed[key] == pytest.approx(float(value), abs=1e-6), key
