"""GPU self-check: the CUDA tests, a short train + test of every model family through MMPose's own
tools/train.py and tools/test.py (with and without --amp), and the CUDA benchmarks, in one go.

    python tools/gpu_check.py --out work_dirs/gpu_check            # on a machine with a CUDA GPU
    python tools/gpu_check.py --device cpu --parts tests runs      # the CPU dry run (no --amp)
    bash tools/gpu_check.sh [--wheelhouse DIR]                      # install first, then this

Parts (``--parts``):

* tests: ``pytest -m cuda`` (SDPA kernels vs the explicit path in fp32 / bf16 with window masks,
  MoE routing, the EMA codebook in fp32 under autocast, a bf16 training step of every family).
* runs: synthetic data (people and quadrupeds), then for fp32 and --amp each: ViTPose (full and
  shifted-window attention), SimDR, PCT (tokenizer, then stage 2 on the ViTPose backbone),
  ViTPose++ (then its experts merged per data set and the merged models tested), knowledge-token
  distillation (teacher, token, student). Every run is MMPose's tools/train.py on a config
  written from the family's tiny synthetic config, then tools/test.py on its last checkpoint.
* user: what a user's own runs get (tools/analysis_tools/train_speed.py): MMPose's
  tools/train.py with our ViTPose-B COCO config and MMPose's stock one, fp32 and --amp, on copies
  of the real COCO sample (images/s and data_time from the runner's log), the FSDP configs on
  the one GPU (peak memory), then tools/infer.py end to end on those JPEGs (bf16, compiled,
  batch 256, per-stage profile) with the checkpoint of our run.
* bench: tools/analysis_tools/benchmark.py on CUDA (inference S/B/L/H in bf16 with torch.compile for B, the
  training step of MMPose's stock ViTPose-B config against ours, attention types at 1024x768,
  a profile), run alone so that nothing else shares the GPU.

Writes ``summary.md`` (one row per check) and the logs under ``--out``; exits 1 if a check failed.
"""
import argparse
import concurrent.futures
import json
import os
import os.path as osp
import re
import sys
import threading
import time

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, osp.join(REPO, 'tools', 'analysis_tools'))  # the tools' shared modules
import train_speed  # noqa: E402
from benchmark_utils import run_logged as run  # noqa: E402  (a logged subprocess)
from model_families import CONFIGS, VITPOSE_B  # noqa: E402  (the tiny configs; ViTPose-B COCO)

BENCH_ARGS = ['--tables', 'inference', 'train', 'attention', '--compile', '--profile',
              '--resolutions', '1024x768', '--attn-batch', '4',
              '--dtype', 'bf16', '--iters', '10']


class Check:
    """Results, one row per check, written to summary.md as they come."""

    def __init__(self, out):
        self.out, self.rows = out, []

    def add(self, part, name, ok, detail, seconds):
        self.rows.append((part, name, ok, detail, seconds))
        print(f'[gpu_check] {"ok  " if ok else "FAIL"} {part} / {name}: {detail} '
              f'({seconds:.0f} s)', flush=True)
        self.write()

    def write(self):
        lines = ['| part | check | result | detail | seconds |', '|---|---|---|---|---|']
        lines += [f'| {p} | {n} | {"ok" if ok else "**FAILED**"} | {d} | {s:.0f} |'
                  for p, n, ok, d, s in self.rows]
        with open(osp.join(self.out, 'summary.md'), 'w') as f:
            f.write('\n'.join(lines) + '\n')


def test_metrics(output):
    """'name/metric: value' pairs of the last 'Epoch(test)' line of a tools/test.py log."""
    lines = [line for line in output.splitlines() if 'Epoch(test)' in line]
    return dict(re.findall(r'(\w+/[\w.]+): (-?[\d.]+)', lines[-1])) if lines else {}


def loss_first_last(work_dir):
    """The first and last logged training loss of a run (MMEngine's scalars.json)."""
    losses = []
    for root, _, files in os.walk(work_dir):
        if 'scalars.json' in files:
            with open(osp.join(root, 'scalars.json')) as f:
                losses += [json.loads(line)['loss'] for line in f if '"loss"' in line]
    return (losses[0], losses[-1]) if losses else (float('nan'), float('nan'))


class Runs:
    """The train / test chains of one precision (fp32 or amp)."""

    def __init__(self, args, check, data, amp):
        self.args, self.check, self.data, self.amp = args, check, data, amp
        self.variant = 'amp' if amp else 'fp32'
        self.root = osp.join(args.out, 'runs', self.variant)
        os.makedirs(self.root, exist_ok=True)
        self.env = dict(os.environ, OMP_NUM_THREADS='2', PYTHONPATH=REPO)

    lock = threading.Lock()  # MMEngine's Config.fromfile is not thread-safe (pkg_resources)

    def config(self, name, edit=None):
        """Write the shrunk config of ``name`` (``edit(cfg)`` applied) and return its path."""
        with self.lock:
            return self._config(name, edit)

    def _config(self, name, edit):
        from mmengine.config import Config

        from config_utils import shrink_for_smoke_run
        cfg = Config.fromfile(osp.join(REPO, CONFIGS[name]))
        multi = name == 'vitpose-pp'
        root = ([self.data['humans'], self.data['quadrupeds']] if multi else
                self.data['quadrupeds'] if name == 'vitpose-pp-merged-1' else self.data['humans'])
        shrink_for_smoke_run(cfg, root, osp.join(self.root, name), self.args.epochs,
                             batch_size=32, num_workers=2)
        if edit:
            edit(cfg)
        path = osp.join(self.root, f'{name}.py')
        cfg.dump(path)
        return path

    def train_test(self, name, edit=None):
        """tools/train.py then tools/test.py on the last checkpoint; returns the checkpoint and
        the test metrics."""
        config = self.config(name, edit)
        work_dir = osp.join(self.root, name)
        cmd = [sys.executable, osp.join(REPO, 'tools', 'train.py'), config, '--work-dir', work_dir]
        rc, sec, out = run(cmd + (['--amp'] if self.amp else []),
                           osp.join(self.root, f'{name}.train.log'), self.args.timeout, self.env)
        first, last = loss_first_last(work_dir)
        label = f'{self.variant} {name}'
        if rc:
            self.check.add('runs', f'{label} train', False, f'exit {rc}, see {name}.train.log', sec)
            raise RuntimeError(label)
        with open(osp.join(work_dir, 'last_checkpoint')) as f:
            checkpoint = f.read().strip()
        metrics = self.test(label, config, checkpoint, sec, f'loss {first:.4g} -> {last:.4g}',
                            name)
        return checkpoint, metrics

    def test(self, label, config, checkpoint, train_sec, detail, name, expected=None):
        """tools/test.py; with ``expected`` (metric, value), that metric must match to 1e-3."""
        rc, sec, out = run([sys.executable, osp.join(REPO, 'tools', 'test.py'), config, checkpoint,
                            '--work-dir', osp.join(self.root, name + '_test')],
                           osp.join(self.root, f'{name}.test.log'), self.args.timeout, self.env)
        metrics = test_metrics(out)
        shown = ', '.join(f'{k} {float(v):.3f}' for k, v in metrics.items())
        ok = rc == 0 and bool(metrics)
        if expected is not None:
            key, value = expected
            ok = ok and abs(float(metrics.get('coco/AP', 'nan')) - float(value)) <= 1e-3
            shown += f' (multi-task model: {key} {float(value):.3f})'
        self.check.add('runs', label, ok, f'{detail}; test: {shown or f"exit {rc}"}',
                       train_sec + sec)
        if not ok:
            raise RuntimeError(label)
        return metrics

    # ---- the chains (each runs its steps in order; the chains run in parallel) ----
    def vitpose_pct(self):
        backbone, _ = self.train_test('vitpose')
        tokenizer, _ = self.train_test('pct-tokenizer')

        def edit(cfg):
            cfg.model.backbone_checkpoint = backbone
            cfg.model.head.tokenizer_checkpoint = tokenizer
        self.train_test('pct', edit)

    def swin(self):
        self.train_test('vitpose-swin')

    def simdr(self):
        self.train_test('simdr')

    def vitpose_pp(self):
        checkpoint, metrics = self.train_test('vitpose-pp')
        for t, key in ((0, 'coco/AP'), (1, 'ap10k/AP')):
            name = f'vitpose-pp-merged-{t}'
            config = self.config(name)
            merged = osp.join(self.root, f'{name}.pth')
            rc, sec, _ = run([sys.executable, 'tools/merge_experts.py', checkpoint, merged,
                              '--dataset-idx', str(t), '--config', config],
                             osp.join(self.root, f'{name}.merge.log'), self.args.timeout, self.env)
            if rc:
                self.check.add('runs', f'{self.variant} {name}', False, 'merge_experts failed', sec)
                raise RuntimeError(name)
            self.test(f'{self.variant} {name}', config, merged, sec, 'merged', name,
                      expected=(key, metrics[key]))

    def distillation(self):
        teacher, _ = self.train_test('kd-teacher')
        token, _ = self.train_test(
            'kd-token', lambda cfg: cfg.model.update(teacher_checkpoint=teacher))
        self.train_test('kd-student', lambda cfg: cfg.model.update(teacher_checkpoint=token))

    def chains(self):
        return [self.vitpose_pct, self.swin, self.simdr, self.vitpose_pp, self.distillation]


def make_data(args):
    from vitpose_ext.datasets.synthetic import QUADRUPED, make_synthetic_coco
    data = {}
    for key, kw in (('humans', {}), ('quadrupeds', dict(skeleton=QUADRUPED))):
        data[key] = make_synthetic_coco(osp.join(args.out, 'data', key), num_train=args.num_train,
                                        num_val=args.num_val, seed=len(data), width=128,
                                        height=128, **kw)
    return data


def part_tests(args, check):
    # no paths: pytest.ini's testpaths, the library's tests and the projects'
    rc, sec, out = run([sys.executable, '-m', 'pytest', '-m', 'cuda', '-q', '-p',
                        'no:cacheprovider'], osp.join(args.out, 'tests.log'), args.timeout)
    summary = (out.strip().splitlines() or ['no output'])[-1].strip('= ')
    ok = rc == 0 and ('skipped' not in summary or args.device == 'cpu')
    check.add('tests', 'pytest -m cuda', ok, summary, sec)


def part_bench(args, check):
    rc, sec, out = run([sys.executable, 'tools/analysis_tools/benchmark.py', '--device', 'cuda'] + BENCH_ARGS,
                       osp.join(args.out, 'benchmark.md'), args.bench_timeout)
    check.add('bench', 'tools/analysis_tools/benchmark.py ' + ' '.join(BENCH_ARGS), rc == 0,
              'tables in benchmark.md' if rc == 0 else f'exit {rc}, see benchmark.md', sec)


def part_runs(args, check):
    start = time.time()
    data = make_data(args)
    check.add('runs', 'synthetic data', True,
              f'{args.num_train} + {args.num_val} images each of people and quadrupeds',
              time.time() - start)
    variants = [False] + ([True] if args.device == 'cuda' else [])  # MMEngine: no AMP on CPU
    chains = [c for amp in variants for c in Runs(args, check, data, amp).chains()]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for future in [pool.submit(c) for c in chains]:
            try:
                future.result()
            except RuntimeError:
                pass  # recorded as a failed row; the other chains go on
            except Exception as exc:  # a bug of this tool: record it, let the others finish
                check.add('runs', 'chain', False, f'{type(exc).__name__}: {exc}', 0)


def part_user(args, check):
    out = osp.join(args.out, 'user')
    cpu = args.device == 'cpu'  # the dry run: tiny batches, fp32, no FSDP
    runs = ['stock', 'ours'] if cpu else ['stock', 'stock-amp', 'ours', 'ours-amp', 'fsdp-l',
                                          'fsdp-h', 'fsdp-g']
    sizes = ['--batch', '2', '--iters', '12', '--log-interval', '2'] if cpu else []
    os.makedirs(out, exist_ok=True)
    rc, sec, _ = run([sys.executable, 'tools/analysis_tools/train_speed.py', '--out', out,
                      '--device', args.device, '--runs', *runs, '--timeout', str(args.timeout),
                      *sizes], osp.join(out, 'train_speed.log'), len(runs) * args.timeout + 120)
    check.add('user', 'train_speed.py ' + ' '.join(runs), rc == 0,
              'table in user/train_speed.md' if rc == 0 else f'exit {rc}, see user/', sec)
    last = osp.join(out, 'ours', 'last_checkpoint')
    if not osp.isfile(last):
        return
    with open(last) as f:
        checkpoint = f.read().strip()
    data = osp.join(out, 'data', 'coco')
    infer = ['--device', 'cpu', '--batch-size', '8', '--bbox-thr', '0.5'] if cpu else [
        '--device', 'cuda', '--dtype', 'bf16', '--batch-size', '256', '--compile']
    rc, sec, output = run([sys.executable, 'tools/infer.py', osp.join(REPO, VITPOSE_B),
                           checkpoint, osp.join(data, 'train2017'), '--ann-file',
                           osp.join(data, 'annotations', 'person_keypoints_train2017.json'),
                           '--bbox-file', train_speed.detections(data, 'train2017'),
                           '--out-file', osp.join(out, 'infer.json'), '--profile', *infer],
                          osp.join(out, 'infer.log'), args.timeout)
    rate = [line for line in output.splitlines() if 'persons/s' in line]
    check.add('user', 'tools/infer.py ' + ' '.join(infer), rc == 0,
              f'{rate[-1] if rate else f"exit {rc}"} (stages in user/infer.log)', sec)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default='work_dirs/gpu_check')
    parser.add_argument('--device', default='cuda', choices=['cuda', 'cpu'],
                        help="'cpu': the dry run (CUDA tests skipped, no --amp, no benchmark)")
    parser.add_argument('--parts', nargs='+', default=['bench', 'tests', 'runs'],
                        choices=['bench', 'user', 'tests', 'runs'],
                        help='user (minutes: 7 trainings and an inference) only when named')
    parser.add_argument('--epochs', type=int, default=3)
    parser.add_argument('--num-train', type=int, default=128)
    parser.add_argument('--num-val', type=int, default=32)
    parser.add_argument('--jobs', type=int, default=min(10, os.cpu_count() or 1),
                        help='train / test chains run at once')
    parser.add_argument('--timeout', type=int, default=300, help='seconds per step')
    parser.add_argument('--bench-timeout', type=int, default=300)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    args.out = osp.abspath(args.out)
    os.environ['PYTHONUNBUFFERED'] = '1'  # logs of killed steps keep what they printed
    check = Check(args.out)

    import torch
    if args.device == 'cuda' and not torch.cuda.is_available():
        raise SystemExit('gpu_check.py: no CUDA GPU visible to torch '
                         f'{torch.__version__}; use --device cpu for the dry run')
    device = torch.cuda.get_device_name() if args.device == 'cuda' else 'CPU'
    check.add('env', 'device', True, f'{device}, torch {torch.__version__}', 0)
    if 'bench' in args.parts and args.device == 'cuda':
        part_bench(args, check)  # first and alone: timings need an idle GPU
    if 'user' in args.parts:
        part_user(args, check)  # alone too
    parts = []
    if 'tests' in args.parts:
        parts.append(part_tests)
    if 'runs' in args.parts:
        parts.append(part_runs)
    with concurrent.futures.ThreadPoolExecutor(2) as pool:  # correctness only: side by side
        for future in [pool.submit(p, args, check) for p in parts]:
            future.result()
    print(open(osp.join(args.out, 'summary.md')).read())
    sys.exit(0 if all(ok for _, _, ok, _, _ in check.rows) else 1)


if __name__ == '__main__':
    main()
