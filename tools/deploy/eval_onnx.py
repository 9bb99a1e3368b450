"""AP of an exported ONNX model on a config's test set, through tools/deploy/onnx_topdown.py.

    python tools/deploy/eval_onnx.py CFG MODEL.onnx [--cfg-options KEY=VALUE ...]

Every instance of the config's test data set (its boxes: ground truth or the detections the
config names) goes through ``TopdownONNX`` (crop, onnxruntime, decoding, back to image
pixels) and the predictions through the config's test metric, as ``tools/test.py`` scores the
PyTorch model. The exported graph has no flip test: compare with ``tools/test.py --cfg-options
model.test_cfg.flip_test=False``.
"""
import argparse
import os.path as osp
import sys


def parse_args(argv=None):
    from mmengine.config import DictAction
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('model')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='KEY=VALUE overrides of the config, e.g. a data_root')
    return parser.parse_args(argv)


def evaluate(config, model_path, cfg_options=None):
    """The test metric's results for the ONNX file on the config's test set (``cfg_options``: a
    dict of config overrides, as ``--cfg-options`` gives)."""
    import numpy as np
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmengine.structures import InstanceData

    import vitpose_ext  # noqa: F401  (register this package's modules)
    from mmpose.registry import DATASETS, METRICS
    sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
    from onnx_topdown import TopdownONNX

    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope('mmpose')
    dataset_cfg = cfg.test_dataloader.dataset
    dataset_cfg.pipeline = [dict(type='LoadImage'), dict(type='GetBBoxCenterScale'),
                            dict(type='PackPoseInputs')]
    dataset = DATASETS.build(dataset_cfg)
    metric = METRICS.build(cfg.test_evaluator)
    metric.dataset_meta = dataset.metainfo
    model = TopdownONNX(model_path)
    for i in range(len(dataset)):
        item = dataset[i]
        image = item['inputs'].numpy().transpose(1, 2, 0)  # BGR, as LoadImage read it
        sample = item['data_samples']
        keypoints, scores = model(np.ascontiguousarray(image), sample.gt_instances.bboxes)
        sample.pred_instances = InstanceData(keypoints=keypoints, keypoint_scores=scores)
        metric.process({}, [sample.to_dict()])
    return metric.evaluate(len(dataset))


def main(argv=None):
    args = parse_args(argv)
    for key, value in evaluate(args.config, args.model, args.cfg_options).items():
        print(f'{key}: {value:.4f}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
