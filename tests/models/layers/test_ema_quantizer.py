"""EMAVectorQuantizer: nearest entry, the EMA update on a hand-made case, straight-through
gradients, dead-code re-initialisation, and the same codebook on every process under
torch.distributed as on one process with the whole batch."""
import math
import os.path as osp

import pytest
import torch
import torch.distributed as torch_dist
import torch.multiprocessing as mp

from vitpose_ext.models.layers import EMAVectorQuantizer


def make(codebook, counts, **kwargs):
    q = EMAVectorQuantizer(len(codebook), len(codebook[0]), **kwargs)
    q.codebook.copy_(torch.tensor(codebook, dtype=torch.float32))
    q.ema_count.copy_(torch.tensor(counts, dtype=torch.float32))
    q.ema_sum.copy_(q.codebook * q.ema_count[:, None])
    return q


def test_picks_the_nearest_entry():
    torch.manual_seed(0)
    q = EMAVectorQuantizer(64, 8).eval()
    z = torch.randn(200, 8)
    assert torch.equal(q.nearest(z), torch.cdist(z, q.codebook).argmin(1))
    quantized, ids, _, stats = q(z.view(20, 10, 8))
    assert ids.shape == (20, 10) and stats == {}
    assert torch.equal(quantized.view(200, 8), q.codebook[ids.view(-1)])


def test_ema_update_on_a_hand_made_case():
    # entries e0 = (0, 0), e1 = (4, 0), EMA counts 2 and 2, decay 0.5, no smoothing
    q = make([[0., 0.], [4., 0.]], [2., 2.], decay=0.5, dead_threshold=0, eps=0).train()
    z = torch.tensor([[1., 0.], [3., 0.], [5., 0.], [4., 1.]])
    quantized, ids, loss_commit, stats = q(z)
    assert ids.tolist() == [0, 1, 1, 1]
    # counts (1, 3), sums (1, 0) and (12, 1):
    # N = 0.5 * (2, 2) + 0.5 * (1, 3) = (1.5, 2.5); W0 = (0.5, 0), W1 = 0.5 * (8, 0) + 0.5 * (12, 1)
    assert torch.allclose(q.ema_count, torch.tensor([1.5, 2.5]))
    assert torch.allclose(q.ema_sum, torch.tensor([[0.5, 0.], [10., 0.5]]))
    assert torch.allclose(q.codebook, torch.tensor([[1 / 3, 0.], [4., 0.2]]))
    # the batch was quantised with the codebook before the update
    assert torch.equal(quantized, torch.tensor([[0., 0.], [4., 0.], [4., 0.], [4., 0.]]))
    assert loss_commit.item() == pytest.approx(4 / 8)  # squared errors 1, 1, 1, 1 over 8
    p = torch.tensor([0.25, 0.75])
    assert stats['perplexity'].item() == pytest.approx(math.exp(-(p * p.log()).sum().item()))
    assert stats['usage'].item() == 1.0 and stats['num_reinit'].item() == 0


def test_laplace_smoothing_of_the_counts():
    q = make([[0.], [10.], [20.]], [1., 1., 1.], decay=0.5, dead_threshold=0, eps=0.1).train()
    q(torch.tensor([[0.], [1.], [9.]]))
    count = torch.tensor([0.5 + 1, 0.5 + 0.5, 0.5])  # counts (2, 1, 0)
    n = count.sum()
    smoothed = (count + 0.1) / (n + 3 * 0.1) * n
    ema_sum = torch.tensor([0.5 * 0 + 0.5 * 1, 0.5 * 10 + 0.5 * 9, 0.5 * 20])
    assert torch.allclose(q.codebook[:, 0], ema_sum / smoothed)


def test_eval_mode_leaves_the_codebook_alone():
    q = EMAVectorQuantizer(16, 4).eval()
    before = {k: v.clone() for k, v in q.state_dict().items()}
    q(torch.randn(50, 4))
    assert all(torch.equal(before[k], v) for k, v in q.state_dict().items())


def test_straight_through_gradient_is_the_identity():
    q = EMAVectorQuantizer(16, 4).eval()
    z = torch.randn(10, 4, requires_grad=True)
    quantized, _, _, _ = q(z)
    weights = torch.randn(10, 4)
    (quantized * weights).sum().backward()
    assert torch.equal(z.grad, weights)


def test_dead_codes_are_reinitialised_from_the_batch():
    q = EMAVectorQuantizer(8, 2, dead_threshold=0.5).train()
    z = torch.randn(64, 2)
    *_, stats = q(z)  # every entry starts with count 0: all are re-initialised
    assert stats['num_reinit'].item() == 8
    q = make([[0., 0.], [1000., 1000.], [1., 1.], [-1000., 0.]], [1., 0.1, 1., 0.2],
             dead_threshold=0.5).train()
    z = torch.rand(32, 2) * 2 - 1
    *_, stats = q(z)
    assert stats['num_reinit'].item() == 2
    # the dead entries now lie among the batch (convex hull of z), the others did not jump
    assert q.codebook[[1, 3]].abs().max() <= 1
    assert q.codebook[[0, 2]].abs().max() <= 1 + 1e-6
    q.eval()
    assert set(q.nearest(z).tolist()) & {1, 3}  # and are used


def _worker(rank, tmpdir, z, init):
    torch_dist.init_process_group('gloo', init_method=f'file://{tmpdir}/rendezvous', rank=rank,
                                  world_size=2)
    try:
        q = make(*init, decay=0.9, dead_threshold=0).train()
        q(z[rank::2])
        torch.manual_seed(rank)  # different random rows on each process
        fresh = EMAVectorQuantizer(8, 2, dead_threshold=0.5).train()
        fresh.codebook.copy_(torch.zeros(8, 2))
        fresh(z[rank::2] + 10 * rank)
        torch.save(dict(q=q.state_dict(), fresh=fresh.state_dict()), f'{tmpdir}/rank{rank}.pt')
    finally:
        torch_dist.destroy_process_group()


@pytest.mark.slow  # two spawned processes (~11 s)
@pytest.mark.numerics
def test_distributed_update_equals_the_single_process_one(tmp_path):
    torch.manual_seed(0)
    z = torch.randn(40, 2)
    init = ([[0., 0.], [1., 1.], [-1., 1.], [0., -1.]], [1., 2., 3., 4.])
    mp.spawn(_worker, args=(str(tmp_path), z, init), nprocs=2)
    single = make(*init, decay=0.9, dead_threshold=0).train()
    single(z)
    states = [torch.load(osp.join(tmp_path, f'rank{r}.pt')) for r in range(2)]
    for state in states:
        for key, value in single.state_dict().items():
            assert torch.allclose(state['q'][key], value, atol=1e-6), key
    # every entry was re-initialised from a batch (rank 0's, broadcast): still the same codebook
    # on both processes although their batches and random generators differ
    assert torch.equal(states[0]['fresh']['codebook'], states[1]['fresh']['codebook'])
    assert (states[0]['fresh']['codebook'] != 0).all()


def test_single_process_never_calls_torch_distributed(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError('torch.distributed called without a process group')

    monkeypatch.setattr(torch_dist, 'all_reduce', fail)
    monkeypatch.setattr(torch_dist, 'broadcast', fail)
    EMAVectorQuantizer(8, 2).train()(torch.randn(16, 2))


def test_invalid_arguments_name_the_class():
    with pytest.raises(ValueError, match='EMAVectorQuantizer'):
        EMAVectorQuantizer(8, 2, decay=1.0)


@pytest.mark.cuda
def test_cuda_codebook_stays_float32_under_bf16_autocast():
    torch.manual_seed(0)
    proj = torch.nn.Linear(16, 8).cuda()
    q = EMAVectorQuantizer(32, 8).cuda().train()
    ref = EMAVectorQuantizer(32, 8).cuda().train()
    ref.load_state_dict(q.state_dict())
    x = torch.randn(256, 16, device='cuda')
    for _ in range(3):
        torch.manual_seed(1)  # the same dead-code re-initialisation draws in both
        with torch.autocast('cuda', dtype=torch.bfloat16):
            z = proj(x)
            quantized, ids, loss, _ = q(z)
        assert z.dtype == torch.bfloat16 and quantized.dtype == torch.bfloat16
        torch.manual_seed(1)
        _, ref_ids, _, _ = ref(z.detach().float())
        assert torch.equal(ids, ref_ids)
    for name, buf in q.named_buffers():
        assert buf.dtype == torch.float32, name
        torch.testing.assert_close(buf, ref.state_dict()[name], msg=name)
    (quantized.float().sum() + loss).backward()
    assert torch.isfinite(proj.weight.grad).all() and proj.weight.grad.abs().sum() > 0


def test_a_float64_model_keeps_float64():
    torch.manual_seed(0)
    q = EMAVectorQuantizer(16, 4).double()
    z = torch.randn(64, 4, dtype=torch.float64, requires_grad=True)
    # entries 2e-5 apart: float64 distances tell them apart, float32 ones (eps 1e-7 * |z|^2) not
    q.codebook[1] = q.codebook[0] + 1e-5
    z.data[0] = q.codebook[1]
    assert q.eval().nearest(z.detach())[0] == 1
    quantized, ids, loss, _ = q.train()(z)
    assert quantized.dtype == loss.dtype == q.codebook.dtype == q.ema_sum.dtype == torch.float64
    loss.backward()
    assert z.grad.dtype == torch.float64
