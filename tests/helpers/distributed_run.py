"""One process of a 2-process gloo run of a tiny config through MMEngine's Runner with
launcher='pytorch' (what `--launcher pytorch` does on GPUs), for tests/test_distributed.py.

    RANK=r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=p LOCAL_RANK=r \
        python tests/helpers/distributed_run.py CONFIG OUT_DIR ROOT [ROOT ...]

Trains one epoch, saves this rank's weights and buffers to OUT_DIR/rank{r}.pth, tests, and
(rank 0) writes the test metrics to OUT_DIR/metrics.json. On GPUs the same run is
`python tools/train.py CONFIG --launcher pytorch` under torchrun.
"""
import json
import os
import os.path as osp
import sys

import torch
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.join(REPO, 'tools', 'analysis_tools'))  # the tools' shared modules
from config_utils import shrink_for_smoke_run  # noqa: E402


def main():
    config, out, roots = sys.argv[1], sys.argv[2], sys.argv[3:]
    rank = int(os.environ['RANK'])
    cfg = shrink_for_smoke_run(Config.fromfile(config), roots if len(roots) > 1 else roots[0],
                               osp.join(out, 'work'), max_epochs=1, batch_size=4)
    # MMEngine's init_dist for launcher='pytorch' sets a CUDA device; on the CPU the process group
    # is made here (gloo, from the same environment variables) and the runner takes it as it is
    torch_dist.init_process_group('gloo')
    cfg.launcher = 'pytorch'
    wrapper = cfg.get('model_wrapper_cfg') or {}
    cfg.model_wrapper_cfg = dict(dict(type='MMDistributedDataParallel', broadcast_buffers=False),
                                 **wrapper, device_ids=None)  # DDP on the CPU: no device ids
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
