"""What the training data pipeline costs: MMPose's stock ViTPose-B config against ours, on real
COCO JPEGs, each measured in a process of its own.

    python tools/analysis_tools/benchmark_pipeline.py                     # both, 1 and 2 workers
    python tools/analysis_tools/benchmark_pipeline.py --workers 4 8 12 --batches 40
    python tools/analysis_tools/benchmark_pipeline.py --data-root data/coco/ \
        --ann-file annotations/person_keypoints_train2017.json --img-prefix train2017/

Three tables:

* per transform: milliseconds per sample of each step of the config's training pipeline, run
  in the main process on one thread (cv2 and torch set to one thread, as in a loader worker);
  ``samples/s/worker`` is what one loader worker can make at that cost.
* loader: images/s out of the config's own training dataloader (its batch, sampler and
  collate) with ``--workers`` worker processes, over ``--batches`` batches after the first
  (which pays the workers' start). A GPU that trains faster than this waits on the data: MMEngine
  logs that wait as ``data_time``.
* handing over: samples/s through the same loader when the samples are ready (a worker only
  copies one): what the main process can take from the workers, with the config's collate_fn.

The stock process imports nothing of this package (MMPose as installed); ours imports it, with
what it changes (vitpose_ext/compat.py). Data: the real COCO sample (coco/ of ../shared/realdata
or of ``VITPOSE_REALDATA``: 12 persons), repeated to fill the batches; ``--data-root`` etc. point
at a real COCO folder.
"""
import argparse
import copy
import json
import os
import os.path as osp
import subprocess
import sys
import time

from model_families import VITPOSE_B, stock_vitpose_b

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def train_dataloader_cfg(args, stock):
    """The config's training dataloader pointed at the data, repeated to ``--repeat`` times."""
    from mmengine.config import Config
    if stock:
        config = stock_vitpose_b()
    else:
        import vitpose_ext  # noqa: F401  (registers this package's modules, applies its fixes)
        config = osp.join(REPO, VITPOSE_B)
    loader = Config.fromfile(config).train_dataloader
    loader.dataset.update(data_root=args.data_root, ann_file=args.ann_file,
                          data_prefix=dict(img=args.img_prefix))
    loader.dataset = dict(type='RepeatDataset', dataset=loader.dataset, times=args.repeat)
    return loader


def per_transform(loader_cfg, samples):
    """Seconds per sample of each training transform, in this process."""
    import numpy as np
    from mmpose.registry import DATASETS, TRANSFORMS
    dataset_cfg = dict(loader_cfg.dataset.dataset, pipeline=[])
    dataset = DATASETS.build(dataset_cfg)
    transforms = [TRANSFORMS.build(t) for t in loader_cfg.dataset.dataset.pipeline]
    names = [t['type'] for t in loader_cfg.dataset.dataset.pipeline]
    seconds = np.zeros(len(transforms))
    for n in range(samples):
        results = dataset[n % len(dataset)]
        for k, transform in enumerate(transforms):
            start = time.perf_counter()
            results = transform(results)
            seconds[k] += time.perf_counter() - start
    return dict(zip(names, (seconds / samples).tolist()))


def samples_per_second(loader, batches):
    """Samples/s out of ``loader`` over ``batches`` batches after the first (which pays the
    workers' start)."""
    it = iter(loader)
    next(it)
    start, samples = time.perf_counter(), 0
    for _ in range(batches):
        samples += len(next(it)['inputs'])
    return samples / (time.perf_counter() - start)


def loader_rate(loader_cfg, workers, batches):
    """Images/s out of the training dataloader with ``workers`` processes."""
    from mmengine.runner import Runner
    cfg = dict(loader_cfg, num_workers=workers, persistent_workers=workers > 0)
    return samples_per_second(Runner.build_dataloader(cfg, seed=0), batches)


class Ready:
    """Packed samples, handed out as fresh copies (all a worker does is copy one)."""

    def __init__(self, samples):
        self.samples = samples

    def __len__(self):
        return 10**6

    def __getitem__(self, i):
        return copy.deepcopy(self.samples[i % len(self.samples)])


def transport_rate(loader_cfg, workers, batches):
    """Samples/s reaching the main process when the samples cost nothing to make: the ceiling
    that handing batches from workers to the main process sets (the config's collate_fn)."""
    from mmengine.runner import Runner
    from torch.utils.data import DataLoader
    built = Runner.build_dataloader(dict(loader_cfg, num_workers=0, persistent_workers=False),
                                    seed=0)
    ready = Ready([built.dataset[i] for i in range(built.batch_size)])
    return samples_per_second(DataLoader(ready, batch_size=built.batch_size, num_workers=workers,
                                         collate_fn=built.collate_fn), batches)


def measure(args, stock):
    """One config's figures (run in a child process)."""
    import cv2
    import torch
    from mmengine.registry import init_default_scope
    cv2.setNumThreads(1)
    torch.set_num_threads(1)
    init_default_scope('mmpose')
    loader_cfg = train_dataloader_cfg(args, stock)
    if stock and 'vitpose_ext' in sys.modules:
        raise RuntimeError('benchmark_pipeline.py: the stock process imported vitpose_ext')
    return dict(transforms=per_transform(loader_cfg, args.samples),
                loader={w: loader_rate(loader_cfg, w, args.batches) for w in args.workers},
                transport={w: transport_rate(loader_cfg, w, 2 * args.batches)
                           for w in args.workers},
                batch=loader_cfg.batch_size, num_workers=loader_cfg.num_workers,
                collate=loader_cfg.get('collate_fn', dict(type='pseudo_collate'))['type'])


def child(args, which):
    """``measure`` in a fresh process (the stock one without this package imported)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([REPO, osp.dirname(__file__)]))
    cmd = [sys.executable, __file__] + sys.argv[1:] + ['--child', which,
                                                      '--data-root', args.data_root]
    out = subprocess.run(cmd, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--data-root', help='default: the real COCO sample')
    parser.add_argument('--ann-file', default='test_coco.json')
    parser.add_argument('--img-prefix', default='')
    parser.add_argument('--repeat', type=int, default=200, help='times the data set is repeated')
    parser.add_argument('--samples', type=int, default=240, help='per-transform table')
    parser.add_argument('--workers', type=int, nargs='+', default=[1, 2])
    parser.add_argument('--batches', type=int, default=10, help='timed batches per loader')
    parser.add_argument('--child', choices=['stock', 'ours'], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args, args.child == 'stock')))
        return

    from benchmark_utils import REALDATA, print_table  # (imports this package: not in a child)
    args.data_root = args.data_root or osp.join(REALDATA, 'coco') + '/'
    stock, ours = child(args, 'stock'), child(args, 'ours')
    names = list(dict.fromkeys(list(stock['transforms']) + list(ours['transforms'])))
    rows = [[n] + [f"{1e3 * r['transforms'][n]:.3f}" if n in r['transforms'] else '-'
                   for r in (stock, ours)] for n in names]
    totals = [sum(r['transforms'].values()) for r in (stock, ours)]
    rows.append(['**total**'] + [f'**{1e3 * t:.3f}**' for t in totals])
    rows.append(['samples/s/worker'] + [f'{1 / t:.0f}' for t in totals])
    print(f'Per transform, ms per sample (one thread, {args.samples} samples; stock / ours: '
          f'{totals[0] / totals[1]:.2f}x)\n')
    print_table(['transform', 'stock', 'ours'], rows)
    print(f"Training dataloader, images/s (batch {ours['batch']}; the configs ship "
          f"num_workers={stock['num_workers']} (stock) and {ours['num_workers']} (ours))\n")
    print_rates(args.workers, stock['loader'], ours['loader'])
    print(f"Handing over only, samples/s (samples ready, a worker copies one; the configs' "
          f"collate_fn: {stock['collate']} (stock), {ours['collate']} (ours))\n")
    print_rates(args.workers, stock['transport'], ours['transport'])


def print_rates(workers, stock, ours):
    """A table of rates per number of workers (JSON keys: strings), stock against ours."""
    from benchmark_utils import print_table
    print_table(['workers', 'stock', 'ours', 'ours / stock'],
                [[w, f'{stock[str(w)]:.0f}', f'{ours[str(w)]:.0f}',
                  f'{ours[str(w)] / stock[str(w)]:.2f}x'] for w in workers])


if __name__ == '__main__':
    main()
