"""How far keypoints move when a model runs in a lower precision: the same persons through
``TopdownPredictor`` in each ``--dtypes`` (a run each, repeats included), each compared with the
one before it, per band of the keypoint's score in that one (docs/inference.md, "FP8 linear
layers").

    python tools/analysis_tools/dtype_delta.py CONFIG CHECKPOINT IMAGES --bbox-file DET.json \
        [--ann-file ANN.json] [--dtypes fp32 bf16 fp8] [--device cuda]

One row per compared pair and score band: keypoints, mean / median / 99th percentile of the
distance in image pixels, and how many moved more than ``--far`` px. A heatmap with no clear peak
(low score) can move its maximum to another place of the map under any rounding, so the mean over
all keypoints says more about how many such keypoints there are than about the precision; the
confident bands show the precision itself.
"""
import argparse
import os.path as osp
import sys

import numpy as np

BANDS = (('< 0.3', -np.inf, 0.3), ('0.3-0.5', 0.3, 0.5), ('>= 0.5', 0.5, np.inf))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('input', help='an image, a folder of images or a glob pattern')
    parser.add_argument('--bbox-file', required=True, help='COCO detection results (or boxes)')
    parser.add_argument('--ann-file', help='COCO annotation file mapping file names to ids')
    parser.add_argument('--dtypes', nargs='+', default=['fp32', 'bf16', 'fp8'],
                        choices=['fp32', 'bf16', 'fp16', 'fp8'],
                        help='precisions in order; each is compared with the one before it')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--batch-size', type=int, default=64)
    parser.add_argument('--far', type=float, default=1.0, help='a move above this is counted')
    args = parser.parse_args(argv)
    if len(args.dtypes) < 2:
        parser.error('--dtypes needs at least two precisions to compare')
    return args


def predict(args, dtype, boxes, image_ids):
    """(keypoints (P, K, 2), scores (P, K)) of every person, in the source's order."""
    from vitpose_ext.inference import TopdownPredictor, make_loader
    predictor = TopdownPredictor(args.config, args.checkpoint, device=args.device, dtype=dtype,
                                 batch_size=args.batch_size)
    source = predictor.source(args.input, boxes=boxes, image_ids=image_ids)
    preds = list(predictor(make_loader(source, batch_size=args.batch_size, num_workers=1)))
    return (np.concatenate([p.keypoints for p in preds]),
            np.concatenate([p.keypoint_scores for p in preds]))


def delta_rows(name, moved, scores, far):
    """Table rows of one compared pair: all keypoints, then each score band."""
    rows = []
    for label, keep in [('all', np.ones_like(moved, bool))] + [
            (label, (scores >= lo) & (scores < hi)) for label, lo, hi in BANDS]:
        d = moved[keep]
        if d.size:
            rows.append([name, label, d.size, f'{d.mean():.3f}', f'{np.median(d):.3f}',
                         f'{np.percentile(d, 99):.3f}', int((d > far).sum())])
    return rows


def main(argv=None):
    args = parse_args(argv)
    import vitpose_ext  # noqa: F401  (registers this package's modules)
    from vitpose_ext.inference import image_ids_from_annotations, load_detections
    sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
    from benchmark_utils import print_table

    boxes = load_detections(args.bbox_file)
    image_ids = image_ids_from_annotations(args.ann_file) if args.ann_file else None
    runs = [predict(args, dtype, boxes, image_ids) for dtype in args.dtypes]  # a run each
    rows = []
    for i in range(1, len(runs)):
        moved = np.linalg.norm(runs[i][0] - runs[i - 1][0], axis=-1)
        rows += delta_rows(f'{args.dtypes[i]} vs {args.dtypes[i - 1]}', moved, runs[i - 1][1],
                           args.far)
    print_table(['compared', 'score (after "vs")', 'keypoints', 'mean px',
                 'median px', 'p99 px', f'> {args.far:g} px'], rows)


if __name__ == '__main__':
    main()
