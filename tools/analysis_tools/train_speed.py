"""Training speed as a user gets it: MMPose's tools/train.py on COCO-sized JPEGs, images/s and
the wait for data read from the runner's own log, ours against MMPose's stock config.

    python tools/analysis_tools/train_speed.py --out work_dirs/train_speed        # on a CUDA GPU
    python tools/analysis_tools/train_speed.py --out work_dirs/train_speed --device cpu \
        --batch 2 --iters 12 --log-interval 2                                      # the CPU dry run

Data: the real COCO sample (../shared/realdata/coco: 4 val2017 images of about 640x425 with 12
annotated persons) copied into a COCO training set of ``--iters`` batches (links to the
same JPEGs, each copy its own image and annotation ids) under ``--out``/data/coco/, with a one-copy
validation set and the sample's person detections for both; nothing is downloaded.

Runs (``--runs``), each ``tools/train.py`` in its own process with the config as shipped but
for the data root, no pretrained weights (no network), the batch and one epoch of ``--iters``
iterations (``--fsdp-iters`` for FSDP) without validation:

* ``ours`` / ``ours-amp``: configs/vitpose/td-hm_vitpose-b_8xb64-210e_coco-256x192.py, without
  and with ``--amp``;
* ``stock`` / ``stock-amp``: MMPose's td-hm_ViTPose-base_8xb64-210e_coco-256x192.py, the same;
  run through MMPose's tools/train.py with only this package's ``mmpretrain_transformers5`` fix
  (MMPose's config builds mmpretrain's ViT, and ``import mmpretrain.models`` fails with
  transformers 5 installed);
* ``fsdp-l`` / ``fsdp-h`` / ``fsdp-g``: the FSDP configs, through ``torchrun --nproc_per_node 1
  ... --launcher pytorch`` (one GPU: the peak memory of the whole model in that mode).

From each run's ``scalars.json``: the median of the logged ``time`` and ``data_time`` after the
first third of the iterations (compilation, warm-up). MMEngine logs their means over
``log_processor.window_size`` iterations, 50 in MMPose's runtime, which would carry the first
iteration's compilation into later lines: the runs set it to the log interval. Images/s =
batch / time; the peak ``memory`` is CUDA's max allocated (MiB). Writes ``train_speed.md`` and
the runs' logs under ``--out``.
"""
import argparse
import json
import os
import os.path as osp
import shutil
import statistics
import sys

from benchmark_utils import REALDATA, REPO, run_logged
from model_families import VITPOSE_B, stock_vitpose_b

FSDP = {f'fsdp-{s}': (f'configs/vitpose/td-hm_vitpose-{s}-fsdp_8xb{b}-210e_coco-{r}.py', b)
        for s, b, r in (('l', 64, '256x192'), ('h', 64, '256x192'), ('g', 32, '576x432'))}
PERSONS = 12  # annotated persons in the COCO sample
RUNS = ('ours', 'ours-amp', 'stock', 'stock-amp', *FSDP)


def make_coco(root, copies):
    """The real COCO sample as a COCO-layout data set: ``copies`` training copies, one
    validation copy and its detections. Returns ``root``."""
    with open(osp.join(REALDATA, 'coco', 'test_coco.json')) as f:
        coco = json.load(f)
    with open(osp.join(REALDATA, 'coco', 'test_coco_det_AP_H_56.json')) as f:
        dets = json.load(f)
    os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
    os.makedirs(osp.join(root, 'person_detection_results'), exist_ok=True)
    for split, n in (('train2017', copies), ('val2017', 1)):
        os.makedirs(osp.join(root, split), exist_ok=True)
        images, anns, new_dets, ids = [], [], [], {}
        for c in range(n):
            for img in coco['images']:
                ids[c, img['id']] = len(images) + 1
                name = f'{c:06d}_{img["file_name"]}'
                link = osp.join(root, split, name)
                if not osp.lexists(link):
                    os.symlink(osp.join(REALDATA, 'coco', img['file_name']), link)
                images.append(dict(img, id=ids[c, img['id']], file_name=name))
            anns += [dict(a, id=len(anns) + i + 1, image_id=ids[c, a['image_id']])
                     for i, a in enumerate(coco['annotations'])]
            new_dets += [dict(d, image_id=ids[c, d['image_id']]) for d in dets
                         if (c, d['image_id']) in ids]
        with open(osp.join(root, 'annotations', f'person_keypoints_{split}.json'), 'w') as f:
            json.dump(dict(coco, images=images, annotations=anns), f)
        with open(detections(root, split), 'w') as f:
            json.dump(new_dets, f)
    return root


def detections(root, split):
    """The detection file of a split written by :func:`make_coco` (val2017: the name the COCO
    configs read)."""
    return osp.join(root, 'person_detection_results',
                    f'COCO_{split}_detections_AP_H_56_person.json')


def command(run, args, data_root, work_dir):
    """The command line and environment of one run."""
    env = dict(os.environ, PYTHONPATH=REPO, VITPOSE_DATA_ROOT=osp.dirname(data_root.rstrip('/')))
    iters, batch = (args.fsdp_iters, FSDP[run][1]) if run in FSDP else (args.iters, args.batch)
    options = ['train_cfg.max_epochs=1', 'train_cfg.val_begin=2',  # one epoch, no validation
               f'train_dataloader.dataset.indices={iters * batch}',  # of `iters` batches
               'model.backbone.init_cfg=None', f'train_dataloader.batch_size={batch}',
               f'default_hooks.logger.interval={args.log_interval}',
               f'log_processor.window_size={args.log_interval}']  # means over each interval
    if run.startswith('stock'):
        from mmengine.config import Config
        config = stock_vitpose_b()
        imports = Config.fromfile(config).custom_imports.imports
        options += [f'{k}.dataset.data_root={data_root}' for k in
                    ('train_dataloader', 'val_dataloader', 'test_dataloader')]
        options += [f'{k}.ann_file={data_root}annotations/person_keypoints_val2017.json'
                    for k in ('val_evaluator', 'test_evaluator')]
        options += [f'val_dataloader.dataset.bbox_file={detections(data_root, "val2017")}',
                    f'custom_imports.imports=[{",".join(["vitpose_ext", *imports])}]']
        from vitpose_ext.compat import NAMES  # MMPose as installed, but importable
        env['VITPOSE_EXT_NO_COMPAT'] = ','.join(n for n in NAMES if n != 'mmpretrain_transformers5')
    else:
        config = osp.join(REPO, FSDP[run][0] if run in FSDP else VITPOSE_B)
    train = [osp.join(REPO, 'tools', 'train.py'), config, '--work-dir', work_dir]
    if run in FSDP:
        cmd = [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '1'] + train + \
            ['--launcher', 'pytorch']
    else:
        cmd = [sys.executable] + train + (['--amp'] if run.endswith('amp') else [])
    return cmd + ['--cfg-options'] + options, env, iters, batch


def speed(work_dir, batch, iters):
    """Medians of the logged time and data_time after the first third, and the peak memory."""
    rows = []
    for root, _, files in os.walk(work_dir):
        if 'scalars.json' in files:
            with open(osp.join(root, 'scalars.json')) as f:
                rows += [json.loads(line) for line in f if '"data_time"' in line]
    rows = [r for r in rows if r['step'] > iters / 3]
    if not rows:
        return None
    time = statistics.median(r['time'] for r in rows)
    data = statistics.median(r['data_time'] for r in rows)
    return dict(img_s=batch / time, time=time, data_share=data / time,
                memory=max(r.get('memory', float('nan')) for r in rows), points=len(rows))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default='work_dirs/train_speed')
    parser.add_argument('--runs', nargs='+', choices=RUNS,
                        default=['stock', 'stock-amp', 'ours', 'ours-amp'])
    parser.add_argument('--device', default='cuda', choices=['cuda', 'cpu'],
                        help="'cpu': the dry run (no --amp runs, no FSDP)")
    parser.add_argument('--batch', type=int, default=64,
                        help="per GPU, as the ViTPose-B configs ship (FSDP runs: the config's)")
    parser.add_argument('--iters', type=int, default=100, help='iterations of a run')
    parser.add_argument('--fsdp-iters', type=int, default=30, help='iterations of an FSDP run')
    parser.add_argument('--log-interval', type=int, default=10)
    parser.add_argument('--timeout', type=int, default=600, help='seconds per run')
    args = parser.parse_args(argv)
    out = osp.abspath(args.out)
    samples = max([args.iters * args.batch] + [args.fsdp_iters * FSDP[r][1] for r in args.runs
                                                if r in FSDP])
    copies = -(-samples // PERSONS)
    data_root = make_coco(osp.join(out, 'data', 'coco'), copies) + '/'
    runs = [r for r in args.runs
            if args.device == 'cuda' or not (r.endswith('amp') or r in FSDP)]
    results = {}
    for run in runs:
        work_dir = osp.join(out, run)
        shutil.rmtree(work_dir, ignore_errors=True)  # no earlier run's logs or checkpoints
        cmd, env, iters, batch = command(run, args, data_root, work_dir)
        if args.device == 'cpu':
            env['CUDA_VISIBLE_DEVICES'] = ''
        rc, _, _ = run_logged(cmd, osp.join(out, f'{run}.log'), args.timeout, env)
        results[run] = (rc, speed(work_dir, batch, iters))
        print(f'[train_speed] {run}: exit {rc}, {results[run][1]}', flush=True)
    write_table(out, args, results)
    return 0 if all(rc == 0 and r for rc, r in results.values()) else 1


def write_table(out, args, results):
    base = {k: results[k][1] for k in ('stock', 'stock-amp')
            if k in results and results[k][1]}
    lines = [f'tools/train.py, batch {args.batch}, {args.iters} iterations ({args.fsdp_iters} '
             'for FSDP) on copies of the COCO sample; medians after the first third\n',
             '| run | exit | img/s | vs stock | vs stock --amp | data_time / time | peak MiB |',
             '|---|---|---|---|---|---|---|']
    for run, (rc, r) in results.items():
        if not r:
            lines.append(f'| {run} | {rc} | - | - | - | - | - |')
            continue
        ratios = [f"{r['img_s'] / base[k]['img_s']:.2f}x" if k in base else '-'
                  for k in ('stock', 'stock-amp')]
        lines.append(f"| {run} | {rc} | {r['img_s']:.1f} | {' | '.join(ratios)} | "
                     f"{100 * r['data_share']:.1f}% | {r['memory']:.0f} |")
    with open(osp.join(out, 'train_speed.md'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))


if __name__ == '__main__':
    sys.exit(main())
