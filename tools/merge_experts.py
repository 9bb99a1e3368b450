"""Turn a ViTPose++ (multi-task) checkpoint into a plain single-task ViTPose checkpoint.

    python tools/merge_experts.py SRC DST --dataset-idx T [--config CFG] [--metainfo META]

Every factorised FFN's shared and task-T expert weights become one dense fc2 (same outputs for
data set T, plain ViTPose's parameters and FLOPs); head T becomes the head; the other experts and
heads are dropped. DST loads into a plain ViTPose config (ViTPoseBackbone + HeatmapHead) for that
data set, e.g. configs/vitpose/td-hm_vitpose-b_8xb64-210e_coco-256x192.py for ViTPose++-B and
data set 0 (COCO), or projects/vitpose_pp_synthetic/configs/td-hm_vitpose-tiny_1xb32-30e_synthquadruped-64x64.py
for the synthetic experiment's data set 1.

--config CFG   load DST into CFG's model (strict) and report; exit status 1 on any mismatch
--trust-checkpoint  load SRC even if it holds more than tensors and NumPy arrays (can run code)
--metainfo M   store data set T's metainfo (e.g. configs/_base_/datasets/coco.py) as the
               checkpoint's dataset_meta (MMPose's inferencer reads it); without it the source's
               dataset_meta, which describes the mixture, is dropped
"""
import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src')
    parser.add_argument('dst')
    parser.add_argument('--dataset-idx', type=int, required=True)
    parser.add_argument('--config', help='check the result against the model of this config')
    parser.add_argument('--metainfo', help="data set T's metainfo file")
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='load SRC with weights_only=False, which can run code from the file '
                        '(only for files you trust)')
    args = parser.parse_args(argv)  # before the heavy imports: --help stays fast
    import torch

    from vitpose_ext.converters import merge_experts
    from vitpose_ext.utils.checkpoint import (describe_load, load_checkpoint_file,
                                              load_into_config_model)
    source = load_checkpoint_file(args.src, map_location='cpu', trusted=args.trust_checkpoint)
    state_dict = merge_experts(source, args.dataset_idx)
    meta = dict(merged_from=args.src, dataset_idx=args.dataset_idx)
    if args.metainfo:
        from mmpose.datasets.datasets.utils import parse_pose_metainfo

        from vitpose_ext.utils.metainfo import installed_metainfo
        meta['dataset_meta'] = parse_pose_metainfo(installed_metainfo(dict(from_file=args.metainfo)))
    torch.save({'state_dict': state_dict, 'meta': meta}, args.dst)
    print(f'wrote {len(state_dict)} tensors for data set {args.dataset_idx} to {args.dst}')
    if args.config:
        missing, unexpected = load_into_config_model(state_dict, args.config)
        print(describe_load(missing, unexpected))
        if missing or unexpected:
            return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
