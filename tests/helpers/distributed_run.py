"""One process of a 2-process gloo run of a tiny config through MMEngine's Runner with
launcher='pytorch' (what `--launcher pytorch` does on GPUs), for tests/test_distributed.py.

    RANK=r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=p LOCAL_RANK=r \
        python tests/helpers/distributed_run.py CONFIG OUT_DIR ROOT [ROOT ...]

Trains one epoch, saves this rank's weights and buffers to OUT_DIR/rank{r}.pth, tests, and
(rank 0) writes the test metrics to OUT_DIR/metrics.json.
"""
import json
import os
import os.path as osp
import sys

import torch
from mmengine.config import Config
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

from vitpose_ext.utils import shrink_for_smoke_run


def main():
    config, out, roots = sys.argv[1], sys.argv[2], sys.argv[3:]
    rank = int(os.environ['RANK'])
    cfg = shrink_for_smoke_run(Config.fromfile(config), roots if len(roots) > 1 else roots[0],
                               osp.join(out, 'work'), max_epochs=1, batch_size=4)
    cfg.launcher = 'pytorch'
    cfg.env_cfg.dist_cfg = dict(backend='gloo')
    cfg.experiment_name = f'dist_{osp.basename(out)}'
    runner = Runner.from_cfg(cfg)
    runner.train()
    model = runner.model.module if is_model_wrapper(runner.model) else runner.model
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    torch.save(state, osp.join(out, f'rank{rank}.pth'))
    metrics = runner.test()
    if rank == 0:
        with open(osp.join(out, 'metrics.json'), 'w') as f:
            json.dump({k: float(v) for k, v in metrics.items()}, f)


if __name__ == '__main__':
    main()
