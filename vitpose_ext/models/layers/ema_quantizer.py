"""Vector quantisation against a codebook learnt by exponential moving averages (VQ-VAE)."""
import torch
import torch.nn.functional as F
from mmengine import dist
from torch import nn


class EMAVectorQuantizer(nn.Module):
    """Nearest-entry quantisation with an EMA codebook, dead-code re-initialisation and usage
    statistics (PCT's tokenizer codebook).

    Every forward in training mode (never in eval mode) updates the codebook. With the batch's
    assignment counts ``c_v`` and sums of assigned inputs ``s_v``, both summed over processes when
    ``torch.distributed`` is initialised (single process: no communication):

    * ``N_v <- decay * N_v + (1 - decay) * c_v`` and ``W_v <- decay * W_v + (1 - decay) * s_v``;
    * ``e_v = W_v / N~_v`` with Laplace smoothing ``N~_v = (N_v + eps) / (n + V * eps) * n``,
      ``n = sum_v N_v``.

    Before quantising, every entry with ``N_v < dead_threshold`` (all of them at the first step,
    since ``N`` starts at 0) is re-initialised to a random input of the batch (rank 0's,
    broadcast to the others) with ``N_v = 1`` and ``W_v = e_v``: entries never stay unused.

    Args:
        num_codes (int): codebook size V.
        dim (int): entry width D.
        decay (float): EMA decay in [0, 1) (PCT: 0.9).
        dead_threshold (float): EMA count below which an entry is re-initialised; 0 disables it.
        eps (float): Laplace smoothing of the counts.
    """

    def __init__(self, num_codes, dim, decay=0.9, dead_threshold=1e-2, eps=1e-5):
        super().__init__()
        name = type(self).__name__
        if num_codes < 1 or dim < 1:
            raise ValueError(f'{name}: num_codes and dim must be positive, got {num_codes}, {dim}')
        if not 0.0 <= decay < 1.0:
            raise ValueError(f'{name}: decay must be in [0, 1), got {decay}')
        if dead_threshold < 0 or eps < 0:
            raise ValueError(f'{name}: dead_threshold and eps must be >= 0, got '
                             f'{dead_threshold}, {eps}')
        self.num_codes, self.dim = num_codes, dim
        self.decay, self.dead_threshold, self.eps = decay, dead_threshold, eps
        self.register_buffer('codebook', torch.randn(num_codes, dim))
        self.register_buffer('ema_count', torch.zeros(num_codes))
        self.register_buffer('ema_sum', self.codebook.clone())

    def nearest(self, z):
        """Index of the nearest entry (squared Euclidean distance) of every row of z (N, D),
        computed in the codebook's precision also under autocast."""
        with torch.autocast(z.device.type, enabled=False):
            z = z.to(self.codebook.dtype)
            dist2 = (z.pow(2).sum(1, keepdim=True) - 2 * z @ self.codebook.t()
                     + self.codebook.pow(2).sum(1))
        return dist2.argmin(1)

    def forward(self, z):
        """Quantise z (..., D).

        Returns:
            tuple: ``quantized`` (..., D), the nearest entries in the forward pass and the
            identity in the backward pass (straight-through); ``ids`` (...) the entry indices;
            ``loss_commit`` the commitment loss ``mean((z - sg(e))^2)``; ``stats`` (training
            only, else empty): ``perplexity`` and ``usage`` (fraction of entries used) of the
            batch's assignments, ``num_reinit`` (entries re-initialised before this step).
        """
        flat = z.reshape(-1, self.dim)
        stats = {}
        if self.training:
            num_reinit = self._reinit_dead(flat.detach().to(self.codebook.dtype))
            stats['num_reinit'] = flat.new_tensor(float(num_reinit))
        ids = self.nearest(flat.detach())
        quant = F.embedding(ids, self.codebook).to(flat.dtype)
        if self.training:
            stats.update(self._ema_update(flat.detach().to(self.codebook.dtype), ids))
        loss_commit = F.mse_loss(flat, quant)
        quantized = quant + (flat - flat.detach())  # value: quant exactly; gradient: identity
        return quantized.view_as(z), ids.view(z.shape[:-1]), loss_commit, stats

    @torch.no_grad()
    def _ema_update(self, z, ids):
        counts = torch.bincount(ids, minlength=self.num_codes).to(z.dtype)
        sums = torch.zeros_like(self.codebook).index_add_(0, ids, z)
        stacked = torch.cat([counts[:, None], sums], dim=1)
        dist.all_reduce(stacked)  # sum over processes; nothing without torch.distributed
        counts, sums = stacked[:, 0], stacked[:, 1:]
        self.ema_count.mul_(self.decay).add_(counts, alpha=1 - self.decay)
        self.ema_sum.mul_(self.decay).add_(sums, alpha=1 - self.decay)
        n = self.ema_count.sum()
        smoothed = (self.ema_count + self.eps) / (n + self.num_codes * self.eps) * n
        self.codebook.copy_(self.ema_sum / smoothed[:, None])
        p = counts / counts.sum().clamp(min=1)
        perplexity = torch.exp(-(p * torch.log(p.clamp(min=1e-10))).sum())
        return dict(perplexity=perplexity, usage=(counts > 0).float().mean())

    @torch.no_grad()
    def _reinit_dead(self, z):
        if self.dead_threshold <= 0:
            return 0
        dead = torch.nonzero(self.ema_count < self.dead_threshold).squeeze(1)
        num = dead.numel()  # the same on every process: the EMA state is kept identical
        if num == 0:
            return 0
        if z.shape[0] >= num:
            rows = torch.randperm(z.shape[0], device=z.device)[:num]
        else:
            rows = torch.randint(z.shape[0], (num,), device=z.device)
        fresh = z[rows].contiguous()
        dist.broadcast(fresh, src=0)
        self.codebook[dead] = fresh
        self.ema_sum[dead] = fresh
        self.ema_count[dead] = 1.0
        return num
