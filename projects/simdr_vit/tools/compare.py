"""Train configs with MMEngine's Runner and compare their COCO APs (the SimDR-vs-heatmap evidence).

    python projects/simdr_vit/tools/compare.py \
        projects/simdr_vit/configs/td-hm-32x32_vitpose-tiny_1xb32-30e_synthcoco-64x64.py \
        projects/simdr_vit/configs/simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py --decode-variants

Each config trains into ``WORK_DIR/<config name><--suffix>`` (a finished run, i.e. its last
epoch's checkpoint, is reused: only tested again) and is tested with its final weights.
``--cfg-options`` changes every config, e.g. to start from another run's backbone and freeze it:

    python projects/simdr_vit/tools/compare.py \
        projects/simdr_vit/configs/simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py \
        --suffix _frozen-hm-backbone --cfg-options model.backbone.frozen_stages=4 \
        load_from=work_dirs/simdr_vit/td-hm-32x32_vitpose-tiny_1xb32-30e_synthcoco-64x64/epoch_30.pth

Table 1: AP, parameters, training time. With ``--decode-variants``, table 2 tests every SimDR
model again with other test-time settings on the same weights: flip test on / off, sub-bin
refinement, and the keypoint score ('mass': probability near the answer; 'max': MMPose's raw
maximum logit). ``--prior`` prints, for every SimDR config, the training loss of the best
prediction that ignores the image (each keypoint's label distribution averaged over the
training set, augmentation included), in the units of the config's loss: a training loss stuck
there means the network learned where keypoints are on average, not where they are.
"""
import argparse
import os.path as osp
import sys

import torch
from mmengine.config import DictAction
from mmengine.registry import init_default_scope
from mmpose.registry import DATASETS, MODELS

from vitpose_ext.registry import KEYPOINT_CODECS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
# the studies' shared helpers: tools/analysis_tools/ (study runs, tables, config helpers)
sys.path.insert(0, osp.join(ROOT, 'tools', 'analysis_tools'))
from benchmark_utils import print_table  # noqa: E402
from study import study_config, train_or_reuse  # noqa: E402


def ap_cells(metrics):
    return [f"{metrics['coco/AP']:.3f}", f"{metrics['coco/AP .5']:.3f}",
            f"{metrics['coco/AP .75']:.3f}", f"{metrics['coco/AR']:.3f}"]


def decode_rows(name, cfg, runner):
    """The same weights tested with other flip / refinement / score settings."""
    model = runner.model
    rows = []
    for flip in (True, False):
        for refine in (False, True):
            for score in ('mass', 'max'):
                model.head.decoder = KEYPOINT_CODECS.build(
                    dict(cfg.model.head.decoder, refine=refine, score_type=score))
                model.test_cfg = dict(model.test_cfg, flip_test=flip)
                rows.append([name, 'on' if flip else 'off', 'on' if refine else 'off', score,
                             *ap_cells(runner.test())[:2]])
    return rows


def prior_loss(cfg, seed=0):
    """The config's loss for predicting each keypoint's average training label (see above)."""
    init_default_scope('mmpose')
    torch.manual_seed(seed)
    dataset = DATASETS.build(cfg.train_dataloader.dataset)
    labels = [dataset[i]['data_samples'].gt_instance_labels for i in range(len(dataset))]
    gt_x = torch.cat([g.keypoint_x_labels for g in labels])
    gt_y = torch.cat([g.keypoint_y_labels for g in labels])
    weights = torch.cat([g.keypoint_weights for g in labels])
    w = weights[..., None]
    # labels of zero-weight keypoints are all zero: the weighted mean is over labelled ones
    log_prior = [torch.log((g * w).sum(0) / w.sum(0).clamp(min=1) + 1e-12) for g in (gt_x, gt_y)]
    loss_module = MODELS.build(cfg.model.head.loss)
    bs = cfg.train_dataloader.batch_size
    losses = []
    for start in range(0, len(gt_x) - bs + 1, bs):
        part = slice(start, start + bs)
        pred = tuple(lp.expand(bs, *lp.shape) for lp in log_prior)
        losses.append(float(loss_module(pred, (gt_x[part], gt_y[part]), weights[part])))
    return sum(losses) / len(losses)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--work-dir', default='work_dirs/simdr_vit')
    parser.add_argument('--epochs', type=int, help='override max_epochs (lr steps scaled)')
    parser.add_argument('--data-root', help='override the data root of every dataloader')
    parser.add_argument('--suffix', default='', help='appended to each run name')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='key=value overrides for every config')
    parser.add_argument('--prior', action='store_true',
                        help='print the loss of the best image-independent prediction')
    parser.add_argument('--decode-variants', action='store_true',
                        help='also test SimDR models with other flip / refine / score settings')
    args = parser.parse_args()

    rows, variants = [], []
    for config in args.configs:
        name = osp.splitext(osp.basename(config))[0] + args.suffix
        cfg = study_config(config, osp.join(args.work_dir, name), epochs=args.epochs,
                           data_root=args.data_root, cfg_options=args.cfg_options)
        runner, seconds = train_or_reuse(cfg)
        reused = seconds is None
        minutes = (seconds or 0) / 60
        iters = runner.train_loop.max_iters
        metrics = runner.test()
        model = runner.model
        head_params = sum(p.numel() for p in model.head.parameters())
        params = sum(p.numel() for p in model.parameters())
        rows.append([name, type(model.head).__name__, f'{params / 1e6:.2f}M',
                     f'{head_params / 1e6:.3f}M', *ap_cells(metrics),
                     'reused' if reused else f'{minutes:.1f}',
                     '' if reused else f'{60 * minutes / iters:.3f}'])
        if args.decode_variants and type(model.head).__name__.startswith('SimDR'):
            variants += decode_rows(name, cfg, runner)
        if args.prior and type(model.head).__name__.startswith('SimDR'):
            print(f'{name}: training loss of the best image-independent prediction '
                  f'{prior_loss(cfg):.4f}', flush=True)
        # the tables so far after every config: a long job's log holds what it finished
        print('Final weights, test set of each config (val split), flip test as configured')
        print_table(['config', 'head', 'params', 'head params', 'AP', 'AP50', 'AP75', 'AR',
                     'train min', 's/iter (incl. val)'], rows)
        if variants:
            print('SimDR models, same weights, other test-time settings')
            print_table(['config', 'flip test', 'refine', 'score', 'AP', 'AP50'], variants)


if __name__ == '__main__':
    main()
