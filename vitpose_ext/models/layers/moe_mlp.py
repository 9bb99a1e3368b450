"""ViTPose++'s factorised FFN: a shared first linear, and a second linear split into a shared
expert and one task expert per data set (knowledge factorisation, a routed-by-task MoE)."""
import torch
from torch import nn

from ...registry import MODELS

ROUTINGS = ('gather_weights', 'all_experts')


@MODELS.register_module()
class ViTMoEMlp(nn.Module):
    """fc1 (dim -> hidden, shared) -> GELU -> [fc2 (hidden -> dim - P, shared) ||
    experts[t] (hidden -> P)], concatenated along channels; ``t`` is each sample's data set.

    Parameter names follow the ViTPose++ release and HF transformers (``fc1``, ``fc2``,
    ``experts.{t}``), so their checkpoints load after only the block names are mapped. For one data
    set the output equals a plain FFN whose ``fc2`` is ``cat([fc2, experts[t]])`` (see
    ``vitpose_ext.converters.merge_experts``).

    Args:
        dim (int): token width D.
        num_experts (int): number of task experts T (data sets).
        part_features (int): P, the task experts' share of the output channels (0 < P < D).
        hidden_features (int | None): defaults to ``mlp_ratio * dim``.
        mlp_ratio (float), drop (float): as ``ViTMlp``.
        routing (str): how each sample reaches its expert, without a loop over samples:
            'gather_weights' indexes the stacked expert weights per sample and runs one batched
            matmul (B, N, hidden) x (B, hidden, P): the FLOPs of a single expert, but a (B, P,
            hidden) copy of the weights per layer, kept for backward (P / N times the size of
            the hidden activation: as large at 256x192 input, 192 tokens, with P = 192);
            'all_experts' runs every expert as one (hidden -> T * P) matmul and gathers each
            sample's slice: no weight copy, but T times the expert FLOPs and a (B, N, T * P)
            temporary. Both give the same outputs and gradients.
    """

    def __init__(self, dim, num_experts, part_features, hidden_features=None, mlp_ratio=4.0,
                 drop=0.0, routing='gather_weights'):
        super().__init__()
        name = type(self).__name__
        if num_experts < 1:
            raise ValueError(f'{name}: num_experts must be >= 1, got {num_experts}')
        if not 0 < part_features < dim:
            raise ValueError(f'{name}: part_features must be in (0, dim={dim}), '
                             f'got {part_features}')
        if routing not in ROUTINGS:
            raise ValueError(f'{name}: routing {routing!r} not in {ROUTINGS}')
        hidden = hidden_features or int(dim * mlp_ratio)
        self.num_experts, self.part_features, self.routing = num_experts, part_features, routing
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim - part_features)
        self.experts = nn.ModuleList(nn.Linear(hidden, part_features) for _ in range(num_experts))
        self.drop = nn.Dropout(drop)

    def _check_index(self, ctx, x):
        name = type(self).__name__
        dataset_idx = None if ctx is None else ctx.dataset_idx
        if dataset_idx is None:
            raise ValueError(f'{name}: forward needs dataset_idx (one data-set index per sample, '
                             f'0..{self.num_experts - 1}); pass it to the backbone as '
                             f'backbone(x, dataset_idx=idx)')
        idx = torch.as_tensor(dataset_idx, device=x.device)
        if idx.dtype.is_floating_point or idx.dtype == torch.bool:
            raise ValueError(f'{name}: dataset_idx must hold integers, got {idx.dtype}')
        if idx.ndim == 0:  # one data set for the whole batch
            idx = idx.expand(x.shape[0])
        if idx.shape != (x.shape[0], ):
            raise ValueError(f'{name}: dataset_idx must have shape ({x.shape[0]},) for a batch '
                             f'of {x.shape[0]}, got {tuple(idx.shape)}')
        return idx.long()

    def forward(self, x, ctx=None):
        """x: (B, N, dim); ``ctx`` a :class:`~vitpose_ext.models.layers.block.TokenContext`
        whose ``dataset_idx`` is (B,) integers in [0, T), or one int for the batch."""
        idx = self._check_index(ctx, x)
        h = self.drop(self.act(self.fc1(x)))
        shared = self.fc2(h)
        if self.routing == 'gather_weights':
            weight = torch.stack([e.weight for e in self.experts])  # (T, P, hidden)
            bias = torch.stack([e.bias for e in self.experts])  # (T, P)
            expert = torch.bmm(h, weight[idx].transpose(1, 2))  # bf16 under autocast
            expert = expert + bias[idx].unsqueeze(1).to(expert.dtype)
        else:
            weight = torch.cat([e.weight for e in self.experts])  # (T * P, hidden)
            bias = torch.cat([e.bias for e in self.experts])
            B, N = h.shape[:2]
            every = nn.functional.linear(h, weight, bias).view(B, N, self.num_experts, -1)
            pick = idx.view(B, 1, 1, 1).expand(B, N, 1, self.part_features)
            expert = every.gather(2, pick).squeeze(2)
        return self.drop(torch.cat([shared, expert], dim=-1))
