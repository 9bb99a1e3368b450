"""FP8 (e4m3) inference for linear layers, through ``torch._scaled_mm`` (FP8 tensor cores on
Hopper and newer GPUs; PyTorch also runs it on the CPU, where its accuracy is tested).

Weights are quantised once, with one scale per output channel; activations at every call, with
one scale per row (token), both to the largest magnitude e4m3 holds (448). The product is
accumulated in float32 and written in bfloat16. Inference only: the weights become buffers.
"""
import torch
from torch import nn

FP8 = torch.float8_e4m3fn
FP8_MAX = torch.finfo(FP8).max


def _quantise_rows(x: torch.Tensor):
    """``x`` (M, K) as e4m3 with one float32 scale per row (M, 1): x ~ q * scale."""
    scale = x.abs().amax(dim=1, keepdim=True).float().clamp(min=1e-12) / FP8_MAX
    return (x.float() / scale).to(FP8), scale


class Float8Linear(nn.Module):
    """``nn.Linear`` computed in FP8 (see the module's docstring); made from a trained one.

    Args:
        linear (nn.Linear): the layer to replace; its ``in_features`` and ``out_features`` must
            be multiples of 16 (``torch._scaled_mm``'s rule).
    """

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        if linear.in_features % 16 or linear.out_features % 16:
            raise ValueError(f'{type(self).__name__}: in_features and out_features must be '
                             f'multiples of 16, got {linear.in_features} -> '
                             f'{linear.out_features}')
        self.in_features, self.out_features = linear.in_features, linear.out_features
        weight, scale = _quantise_rows(linear.weight.detach())
        self.register_buffer('weight', weight)  # (out, in)
        self.register_buffer('weight_scale', scale.t().contiguous())  # (1, out)
        bias = None if linear.bias is None else linear.bias.detach().to(torch.bfloat16)
        self.register_buffer('bias', bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, self.in_features)
        pad = -len(rows) % 16  # rows in multiples of 16, which some CUDA versions require
        if pad:
            rows = torch.cat([rows, rows.new_zeros(pad, self.in_features)])
        q, scale = _quantise_rows(rows)
        out = torch._scaled_mm(q, self.weight.t(), scale_a=scale, scale_b=self.weight_scale,
                               out_dtype=torch.bfloat16)
        if pad:
            out = out[:-pad]
        if self.bias is not None:
            out = out + self.bias
        return out.reshape(*x.shape[:-1], self.out_features)

    def extra_repr(self) -> str:
        return f'in_features={self.in_features}, out_features={self.out_features}, e4m3'


def linear_to_fp8(module: nn.Module) -> int:
    """Replace, in place, every ``nn.Linear`` inside ``module`` whose sizes are multiples of 16
    by a :class:`Float8Linear`; returns how many were replaced."""
    count = 0
    for name, child in module.named_children():
        if type(child) is nn.Linear and not (child.in_features % 16 or child.out_features % 16):
            setattr(module, name, Float8Linear(child))
            count += 1
        else:
            count += linear_to_fp8(child)
    return count
