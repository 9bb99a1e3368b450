"""Count ``F.scaled_dot_product_attention`` in MMEngine's FLOP counter.

MMEngine's ``FlopAnalyzer`` (what MMPose's ``tools/analysis_tools/get_flops.py`` uses) counts
the matrix products of an explicit ``softmax(q k^T) v`` but has no handle for PyTorch's fused
attention, so with SDPA on (this package's default) every attention block counts 0 and full and
window attention look equally expensive. :func:`sdpa_flop_jit` is the handle
(``vitpose_ext.compat`` adds it to MMEngine's default tables), counting
as MMEngine counts a matrix product (multiply-adds): ``B * heads * N * M * (d + d_v)`` for
queries (B, heads, N, d), keys (B, heads, M, d) and values (B, heads, M, d_v). A mask does not
change the count (the kernel computes the masked entries too).
"""
from typing import Any, List

from mmengine.analysis.jit_handles import get_shape

OP = 'aten::scaled_dot_product_attention'


def sdpa_flop_jit(inputs: List[Any], outputs: List[Any]) -> int:
    """Multiply-adds of q k^T and of the weights times v."""
    q, k, v = (get_shape(t) for t in inputs[:3])
    batch = 1
    for size in q[:-2]:
        batch *= size
    return batch * q[-2] * k[-2] * (q[-1] + v[-1])
