"""Top-down pose estimation of images, a folder, a glob or a video into COCO keypoint results,
batched on the device (docs/inference.md).

    python tools/infer.py CONFIG CHECKPOINT INPUT [--bbox-file DET.json] [--out-file OUT.json]
        [--vis-dir DIR] [--batch-size N] [--device cpu|cuda] [--dtype fp32|bf16|fp16|fp8]
        [--backend pytorch|onnxruntime --onnx MODEL.onnx] [--compile] [--dataset-idx T]
        [--smooth] [--det-config CFG --det-checkpoint CKPT]

Boxes: a COCO detection file (``--bbox-file``: category 1, ``--bbox-thr``; image ids from the
file names' numbers or ``--ann-file``), an MMDetection model (``--det-config``,
``--det-checkpoint``: score > ``--bbox-thr``, NMS at ``--nms-thr``, as MMPose's demos), or the
whole image. Results: ``--out-file`` (COCO keypoint results, rescored and OKS-NMSed as
CocoMetric does), ``--vis-dir`` (pictures, or one video for a video input). ``--smooth``
One-Euro-filters each person's keypoints over frames (persons followed by box IoU). A
checkpoint that MMEngine's safe loading refuses loads when listed in VITPOSE_TRUSTED_CHECKPOINTS.
"""
import argparse
import os.path as osp
import sys
import time


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('input', help='an image, a folder of images, a glob pattern or a video')
    boxes = parser.add_argument_group('boxes (default: the whole image)')
    boxes.add_argument('--bbox-file', help='COCO detection results (the val recipe\'s bbox_file)')
    boxes.add_argument('--ann-file', help='COCO annotation file mapping file names to image ids')
    boxes.add_argument('--det-config', help='an MMDetection config (needs mmdet)')
    boxes.add_argument('--det-checkpoint', help='its weights')
    boxes.add_argument('--det-cat-id', type=int, default=0, help="the detector's person label")
    boxes.add_argument('--bbox-thr', type=float,
                       help='box score threshold (default: 0 for a file, kept if >=; 0.3 for a '
                       'detector, kept if >)')
    boxes.add_argument('--nms-thr', type=float,
                       help='box NMS IoU threshold (default: none for a file, 0.3 for a detector)')
    out = parser.add_argument_group('outputs')
    out.add_argument('--out-file', help='COCO keypoint results (.json)')
    out.add_argument('--vis-dir', help='draw the poses into this folder')
    out.add_argument('--kpt-thr', type=float, default=0.3, help='drawing: least keypoint score')
    out.add_argument('--keypoint-score-thr', type=float, default=0.2,
                     help="results: CocoMetric's keypoint_score_thr of the rescoring")
    out.add_argument('--oks-nms-thr', type=float, default=0.9,
                     help="results: CocoMetric's OKS NMS threshold (negative: no NMS)")
    run = parser.add_argument_group('running')
    run.add_argument('--batch-size', type=int, default=64, help='persons per forward pass')
    run.add_argument('--device', default='cpu', help='cpu, cuda or cuda:N')
    run.add_argument('--dtype', default='fp32', choices=['fp32', 'bf16', 'fp16', 'fp8'],
                     help="fp8: bf16 with the backbone's linear layers in FP8 (e4m3)")
    run.add_argument('--backend', default='pytorch', choices=['pytorch', 'onnxruntime'])
    run.add_argument('--onnx', help='the ONNX file for --backend onnxruntime (fp32 or int8)')
    run.add_argument('--compile', action='store_true', help='torch.compile the model')
    run.add_argument('--dataset-idx', type=int,
                     help="ViTPose++: the data set's experts and head (default: the config's)")
    run.add_argument('--no-flip-test', action='store_true', help="skip the config's flip test")
    run.add_argument('--num-workers', type=int,
                     help='image-reading workers (default: 1 on the CPU, 4 on CUDA)')
    run.add_argument('--profile', action='store_true', help='time every stage, print a table')
    smooth = parser.add_argument_group('video smoothing')
    smooth.add_argument('--smooth', action='store_true',
                        help='One-Euro filter per person (input frames in order)')
    smooth.add_argument('--fps', type=float, help='frame rate of an image sequence (default 30; '
                        'a video: its own)')
    smooth.add_argument('--min-cutoff', type=float, default=1.0, help='One-Euro min_cutoff (Hz)')
    smooth.add_argument('--beta', type=float, default=0.05, help='One-Euro beta (1 / px)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)  # before the heavy imports: --help stays fast
    import vitpose_ext  # noqa: F401  (registers this package's modules)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, \
        TimeElapsedColumn
    from vitpose_ext.inference import (DetectorBoxes, PoseSmoother, TopdownPredictor,
                                       VideoFrames, coco_keypoint_results,
                                       image_ids_from_annotations, load_detections, make_loader,
                                       write_results)
    from vitpose_ext.inference.visualize import PoseDrawer
    sys.path.insert(0, osp.join(osp.dirname(osp.abspath(__file__)), 'analysis_tools'))
    from benchmark_utils import print_table  # the tools' shared helpers

    if args.bbox_file and args.det_config:
        raise SystemExit('infer.py: --bbox-file and --det-config exclude each other')
    predictor = TopdownPredictor(
        args.config, args.checkpoint, device=args.device, dtype=args.dtype,
        backend=args.backend, onnx_file=args.onnx, batch_size=args.batch_size,
        flip_test=False if args.no_flip_test else None, compile=args.compile,
        dataset_idx=args.dataset_idx, profile=args.profile)
    boxes = detector = None
    if args.bbox_file:
        boxes = load_detections(args.bbox_file, score_thr=args.bbox_thr or 0.0,
                                nms_thr=args.nms_thr)
    elif args.det_config:
        detector = DetectorBoxes(args.det_config, args.det_checkpoint, device=args.device,
                                 category_id=args.det_cat_id,
                                 score_thr=0.3 if args.bbox_thr is None else args.bbox_thr,
                                 nms_thr=0.3 if args.nms_thr is None else args.nms_thr)
    image_ids = image_ids_from_annotations(args.ann_file) if args.ann_file else None
    source = predictor.source(args.input, boxes=boxes, detect=detector is not None,
                              image_ids=image_ids)
    video = isinstance(source, VideoFrames)
    workers = args.num_workers
    if workers is None:
        workers = 4 if predictor.device.type == 'cuda' else 1
    loader = make_loader(source, batch_size=args.batch_size, num_workers=workers,
                         pin_memory=predictor.device.type == 'cuda')
    fps = args.fps or (source.fps if video else 30.0)
    smoother = PoseSmoother(fps=fps, min_cutoff=args.min_cutoff, beta=args.beta) \
        if args.smooth else None
    drawer = None
    if args.vis_dir:
        name = osp.splitext(osp.basename(args.input))[0] + '.mp4'
        drawer = PoseDrawer(predictor.dataset_meta, args.vis_dir, args.kpt_thr,
                            video=(name, fps, source.frame_size) if video else None)

    predictions, persons, start = [], 0, time.perf_counter()
    total = source.num_frames if video else len(source)
    columns = (TextColumn('{task.description}'), BarColumn(), MofNCompleteColumn(),
               TextColumn('{task.fields[persons]} persons, {task.fields[rate]:.1f} persons/s'),
               TimeElapsedColumn())
    with Progress(*columns) as progress:
        task = progress.add_task('images', total=total or None, persons=0, rate=0.0)
        for pred in predictor(loader, detector=detector, keep_images=drawer is not None):
            if smoother is not None:
                pred = smoother(pred)
            if drawer is not None:
                drawer(pred)
            pred.image = None
            predictions.append(pred)
            persons += len(pred.keypoints)
            progress.update(task, advance=1, persons=persons,
                            rate=persons / (time.perf_counter() - start))
    if drawer is not None:
        drawer.close()
    if args.out_file:
        with predictor.stage('write'):
            results = coco_keypoint_results(
                predictions, predictor.dataset_meta['sigmas'], args.keypoint_score_thr,
                args.oks_nms_thr if args.oks_nms_thr >= 0 else None)
            write_results(results, args.out_file)
    seconds = time.perf_counter() - start
    print(f'{len(predictions)} images, {persons} persons in {seconds:.2f} s: '
          f'{persons / seconds:.1f} persons/s' +
          (f'; {len(results)} results in {args.out_file}' if args.out_file else ''))
    if args.profile:
        timings = predictor.timings
        rows = [[name, f'{timings[name]:.3f}', f'{100 * timings[name] / seconds:.1f}%']
                for name in sorted(timings, key=timings.get, reverse=True)]
        print_table(['stage', 'seconds', 'share of the wall time'], rows)
        print(f'slowest stage: {rows[0][0]}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
