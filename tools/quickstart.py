"""The main job: synthetic data -> train with the stock MMPose runner -> CocoMetric AP -> PNG.

    python tools/quickstart.py                 # the embedded default, a few minutes on CPU
    python tools/quickstart.py --resume        # continue an interrupted run from its last epoch

Generates the synthetic COCO-keypoints set if it is missing, trains the config with MMEngine's
Runner (what `mim train mmpose` and mmpose's tools/train.py run), evaluates the final model with
MMPose's CocoMetric, prints the AP, and draws ground-truth (green) and predicted (red) skeletons on
a few validation images into ``WORK_DIR/predictions.png``.
"""
import argparse
import json
import os
import os.path as osp
import sys
import time


ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_CONFIG = osp.join(ROOT, 'configs/vitpose/td-hm_vitpose-tiny_1xb32-30e_synthcoco-128x96.py')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--config', default=DEFAULT_CONFIG)
    parser.add_argument('--data-root', default=osp.join(ROOT, 'data/synth_coco'))
    parser.add_argument('--work-dir', default=osp.join(ROOT, 'work_dirs/quickstart'))
    parser.add_argument('--epochs', type=int, help='override the config\'s max_epochs')
    parser.add_argument('--resume', action='store_true',
                        help='continue from the last checkpoint in --work-dir')
    parser.add_argument('--seed', type=int, help='override the config\'s random seed')
    parser.add_argument('--num-vis', type=int, default=8, help='validation images to draw')
    return parser.parse_args()


def draw_predictions(cfg, checkpoint, data_root, num_images, out_file):
    """Run the checkpoint on the first val images (GT boxes) and draw GT and predictions."""
    import cv2
    import numpy as np

    from vitpose_ext.datasets.synthetic import SKELETON
    from vitpose_ext.visualization import draw_skeleton, image_grid
    from mmpose.apis import inference_topdown, init_model

    model = init_model(cfg, checkpoint, device='cpu')
    with open(osp.join(data_root, 'annotations/person_keypoints_val.json')) as f:
        coco = json.load(f)
    skeleton = [(a - 1, b - 1) for a, b in SKELETON]
    images = []
    for info in coco['images'][:num_images]:
        anns = [a for a in coco['annotations'] if a['image_id'] == info['id']]
        path = osp.join(data_root, 'val', info['file_name'])
        img = cv2.imread(path)
        if not anns:
            images.append(img)
            continue
        canvas = cv2.resize(img, None, fx=3, fy=3, interpolation=cv2.INTER_NEAREST)
        boxes = np.array([a['bbox'] for a in anns], dtype=np.float32)
        results = inference_topdown(model, path, boxes, bbox_format='xywh')
        for ann, result in zip(anns, results):
            gt = np.array(ann['keypoints'], dtype=np.float32).reshape(-1, 3)
            draw_skeleton(canvas, gt[:, :2] * 3, gt[:, 2] > 0, skeleton, (0, 200, 0), 2)
            pred = result.pred_instances.keypoints[0] * 3
            score = result.pred_instances.keypoint_scores[0]
            draw_skeleton(canvas, pred, score > 0.3, skeleton, (0, 0, 255), 2)
        images.append(canvas)
    grid = image_grid(images, cols=4, tile_size=(images[0].shape[1], images[0].shape[0]))
    cv2.putText(grid, 'green: ground truth   red: prediction (score > 0.3)', (8, 20),
                cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255), 2, cv2.LINE_AA)
    cv2.imwrite(out_file, grid)
    return out_file


def main():
    args = parse_args()  # before the heavy imports: --help stays fast
    from mmengine.config import Config
    from mmengine.runner import Runner

    from vitpose_ext.datasets.synthetic import is_complete, make_synthetic_coco
    sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), 'analysis_tools'))
    from config_utils import set_data_root  # the tools' shared helpers
    if not is_complete(args.data_root):
        print(f'generating the synthetic data set in {args.data_root} ...')
        make_synthetic_coco(args.data_root)
    cfg = Config.fromfile(args.config)
    set_data_root(cfg, args.data_root)
    cfg.work_dir = args.work_dir
    cfg.resume = args.resume
    if args.epochs:
        cfg.train_cfg.max_epochs = args.epochs
    if args.seed is not None:
        cfg.randomness = dict(seed=args.seed)
    start = time.time()
    runner = Runner.from_cfg(cfg)
    runner.train()
    train_s = time.time() - start
    metrics = runner.test()
    with open(osp.join(args.work_dir, 'last_checkpoint')) as f:
        checkpoint = f.read().strip()
    png = draw_predictions(cfg, checkpoint, args.data_root, args.num_vis,
                           osp.join(args.work_dir, 'predictions.png'))
    with open(osp.join(args.work_dir, 'quickstart_metrics.json'), 'w') as f:
        json.dump(dict(metrics, train_seconds=train_s, checkpoint=checkpoint), f, indent=1)
    print(f'\nAP (CocoMetric, val) = {metrics["coco/AP"]:.4f}   AP50 = {metrics["coco/AP .5"]:.4f}'
          f'   trained {cfg.train_cfg.max_epochs} epochs in {train_s / 60:.1f} min')
    print(f'checkpoint: {checkpoint}\npredictions drawn: {png}')


if __name__ == '__main__':
    os.environ.setdefault('PYTHONHASHSEED', '0')
    main()
