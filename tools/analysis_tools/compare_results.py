"""How far two COCO keypoint results files of the same boxes are apart, and the AP of each.

    python tools/analysis_tools/compare_results.py REF.json OTHER.json [--ann-file GT.json]

For two runs of ``tools/infer.py`` over the same images and boxes (e.g. fp32 against int8 or
bf16; run both with ``--oks-nms-thr -1`` so that every box is kept in both): the persons are
matched by image id and box, and the distances between their keypoints are printed in pixels
and in per cent of the box height (median, mean, 95th percentile, maximum), with how many
persons match. With ``--ann-file`` also the keypoint AP of each file (xtcocotools' COCOeval,
what MMPose's ``CocoMetric`` runs, COCO's OKS sigmas).
"""
import argparse
import json

import numpy as np


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('reference', help='results file to compare against (e.g. fp32)')
    parser.add_argument('other', help='results file of the same boxes (e.g. int8)')
    parser.add_argument('--ann-file', help='COCO keypoint annotations: print the AP of both')
    return parser.parse_args(argv)


def _by_box(results):
    return {(r['image_id'], tuple(np.round(r['bbox'], 2))): r for r in results}


def keypoint_distances(reference, other):
    """(pixel distances (N, K), box heights (N,)) of the persons both result lists hold (same
    image id and box); a ValueError when they share no person."""
    ref, oth = _by_box(reference), _by_box(other)
    common = sorted(set(ref) & set(oth), key=str)
    if not common:
        raise ValueError('compare_results: the two files share no (image_id, bbox): run both '
                         'on the same boxes with --oks-nms-thr -1')
    kpts = [np.asarray([ref[k]['keypoints'], oth[k]['keypoints']]).reshape(2, -1, 3)[..., :2]
            for k in common]
    distances = np.stack([np.linalg.norm(a - b, axis=-1) for a, b in kpts])
    heights = np.array([ref[k]['bbox'][3] for k in common])
    return distances, heights


def keypoint_ap(ann_file, results):
    """COCO keypoint AP of ``results`` against ``ann_file``."""
    from xtcocotools.coco import COCO
    from xtcocotools.cocoeval import COCOeval
    gt = COCO(ann_file)
    evaluation = COCOeval(gt, gt.loadRes(results), 'keypoints', use_area=True)
    evaluation.params.useSegm = None
    evaluation.evaluate()
    evaluation.accumulate()
    evaluation.summarize()
    return float(evaluation.stats[0])


def summary(values):
    return (f'median {np.median(values):.3f}, mean {values.mean():.3f}, '
            f'p95 {np.percentile(values, 95):.3f}, max {values.max():.3f}')


def main(argv=None):
    args = parse_args(argv)
    with open(args.reference) as f:
        reference = json.load(f)
    with open(args.other) as f:
        other = json.load(f)
    distances, heights = keypoint_distances(reference, other)
    lines = [f'{len(distances)} persons matched ({len(reference)} / {len(other)} in the files), '
             f'{distances.size} keypoints',
             f'distance, px: {summary(distances)}',
             f'distance, % of box height: {summary(100 * distances / heights[:, None])}']
    if args.ann_file:
        lines.append(f'AP: {args.reference} {keypoint_ap(args.ann_file, reference):.4f}, '
                     f'{args.other} {keypoint_ap(args.ann_file, other):.4f}')
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
