"""Export a pose model of an MMPose config to ONNX and check it with onnxruntime.

    python tools/deploy/export_onnx.py CFG CKPT [--out FILE] [--output default|keypoints]
        [--dataset-idx T] [--opset N] [--trust-checkpoint]

The graph takes BGR crops (B, 3, H, W) in [0, 255], dynamic batch, and returns heatmaps (heatmap
heads), SimDR logits (or, with --output keypoints, decoded crop coordinates and scores) or PCT's
decoded keypoints and scores. --dataset-idx T exports a ViTPose++ (multi-task) model for data
set T, its experts merged into a plain ViTPose (default: the config's model.test_cfg.dataset_idx).
Afterwards onnxruntime runs the file on a batch of 3 random crops and the largest difference to
PyTorch is printed for every output. Run the file with tools/deploy/onnx_topdown.py (needs
numpy, opencv and onnxruntime only). Needs `pip install -e .[deploy]` (onnx, onnxruntime,
onnxscript).
"""
import argparse
import os
import os.path as osp
import sys


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out', help='ONNX file (default: the checkpoint with .onnx)')
    parser.add_argument('--output', default='default', choices=['default', 'keypoints'],
                        help="SimDR heads: 'keypoints' decodes in the graph")
    parser.add_argument('--dataset-idx', type=int, help='ViTPose++: the data set to export')
    parser.add_argument('--opset', type=int, default=18)
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='load the checkpoint with weights_only=False (can run code from '
                        'the file; only for files you trust)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)  # before the heavy imports: --help stays fast
    from vitpose_ext.deploy.onnx_export import build_export_module, export_onnx, max_difference
    from vitpose_ext.utils.checkpoint import TRUST_ENV
    if args.trust_checkpoint:
        os.environ[TRUST_ENV] = os.pathsep.join(
            [os.environ.get(TRUST_ENV, ''), osp.abspath(args.checkpoint)])
    out = args.out or osp.splitext(args.checkpoint)[0] + '.onnx'
    module, meta = build_export_module(args.config, args.checkpoint, args.output,
                                       args.dataset_idx)
    export_onnx(module, meta, out, opset=args.opset)
    print(f'wrote {out}: input (batch, 3, {meta["input_size"][1]}, {meta["input_size"][0]}) BGR '
          f'[0, 255] -> {", ".join(meta["outputs"])}')
    for name, diff in max_difference(module, meta, out).items():
        print(f'onnxruntime vs PyTorch, batch 3: max |diff| of {name} = {diff:.2e}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
