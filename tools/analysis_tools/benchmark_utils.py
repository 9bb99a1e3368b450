"""What the benchmarks and study scripts share: timing, memory, markdown tables, a logged
subprocess (``run_logged``), where the real data samples are (``REALDATA``: ../shared/realdata or
``VITPOSE_REALDATA``, as for the tests).

Speed is measured here and reported by the tools (tools/analysis_tools/), never asserted in
tests. ``DTYPES`` (the names of ``--dtype``) is the package's, which its predictor takes too.
"""
import os
import os.path as osp
import statistics
import subprocess
import time
from typing import Callable, Optional, Sequence, Tuple

import torch
from torch import nn

from vitpose_ext.utils import DTYPES  # noqa: F401  (the benchmarks' --dtype names)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
REALDATA = os.environ.get('VITPOSE_REALDATA') or osp.join(osp.dirname(REPO), 'shared', 'realdata')


def run_logged(cmd: Sequence[str], log: str, timeout: float,
               env: Optional[dict] = None) -> Tuple[int, float, str]:
    """Run ``cmd`` in the repository with its output in the file ``log``; (return code, 124 if
    it ran past ``timeout`` seconds; seconds; the output)."""
    start = time.time()
    with open(log, 'w') as f:
        try:
            rc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, timeout=timeout,
                                env=env, cwd=REPO).returncode
        except subprocess.TimeoutExpired:
            rc = 124
    with open(log) as f:
        return rc, time.time() - start, f.read()


def saved_activation_bytes(model: nn.Module, x: torch.Tensor) -> int:
    """Bytes of the tensors autograd saves for backward in one forward pass."""
    total = 0

    def pack(t):
        nonlocal total
        total += t.numel() * t.element_size()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        model(x)
    return total


def sync(device: str) -> None:
    if device == 'cuda':
        torch.cuda.synchronize()


def timed(step: Callable[[], object], iters: int, device: str,
          warmup: int = 2) -> Tuple[float, float]:
    """Median seconds per ``step()`` over ``iters`` timed calls after ``warmup`` untimed ones,
    and the peak allocated CUDA memory (MiB) of the timed calls (nan on CPU)."""
    for _ in range(warmup):
        step()
    sync(device)
    if device == 'cuda':
        torch.cuda.reset_peak_memory_stats()
    times = []
    for _ in range(iters):
        start = time.perf_counter()
        step()
        sync(device)
        times.append(time.perf_counter() - start)
    mem = torch.cuda.max_memory_allocated() / 2**20 if device == 'cuda' else float('nan')
    return statistics.median(times), mem


def measure(model: nn.Module, batch: int, img_size: Sequence[int], device: str,
            dtype: torch.dtype, iters: int, train: bool) -> Tuple[float, float]:
    """Images/s and memory of a backbone's inference or training step (autocast to ``dtype``)."""
    x = torch.randn(batch, 3, *img_size, device=device)
    model.train(train)
    autocast = torch.autocast(device_type=device, dtype=dtype, enabled=dtype != torch.float32)

    def step():
        with autocast:
            if train:
                out = model(x)[-1]
                out.float().square().mean().backward()
            else:
                with torch.no_grad():
                    model(x)

    seconds, mem = timed(step, iters, device, warmup=1)
    if device != 'cuda' and train:
        with autocast:
            mem = saved_activation_bytes(model, x) / 2**20
    return batch / seconds, mem


def _row(cells, widths):
    return '| ' + ' | '.join(str(c).ljust(w) for c, w in zip(cells, widths)) + ' |'


def print_table(header: Sequence, rows: Sequence[Sequence]) -> None:
    """Print ``rows`` (lists of cells) under ``header`` as a markdown table."""
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    print(_row(header, widths))
    print('|' + '|'.join('-' * (w + 2) for w in widths) + '|')
    for r in rows:
        print(_row(r, widths))
    print()
