"""Static int8 quantisation of an exported pose model, calibrated on real person crops.

    python tools/deploy/quantize_onnx.py MODEL.onnx CALIB_INPUT [--bbox-file DET.json]
        [--out MODEL_int8.onnx] [--max-crops 32] [--method minmax|entropy|percentile]

onnxruntime's ``quantize_static`` in QDQ format (int8 weights per channel, int8 activations)
on the file written by tools/deploy/export_onnx.py. The calibration crops are cut from the
images of CALIB_INPUT (an image, a folder or a glob) exactly as ``tools/infer.py`` cuts them (the
file's box padding and UDP; boxes from a COCO detection file, else the whole image), with their
mirror images (what the flip test feeds the model). Only the matrix products and convolutions
are quantised (``--op-types``); LayerNorm, softmax and GELU stay in float. The int8 file keeps
the fp32 file's metadata, so tools/infer.py --backend onnxruntime --onnx MODEL_int8.onnx runs
it. onnxruntime keeps the inputs of every quantised op for all calibration crops before it
computes their ranges: about 100 MB per crop for ViT-B 256x192, so ``--max-crops 32`` (64 crops
with the mirrors) needs about 6 GB. Needs `pip install -e .[deploy]`.
"""
import argparse
import json
import os.path as osp
import sys
import tempfile

DEFAULT_OPS = ['MatMul', 'Gemm', 'Conv', 'ConvTranspose']


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('model', help='the fp32 ONNX file')
    parser.add_argument('calib_input', help='calibration images: an image, a folder or a glob')
    parser.add_argument('--bbox-file', help='COCO detections of the calibration images')
    parser.add_argument('--ann-file', help='COCO annotation file mapping file names to ids')
    parser.add_argument('--out', help='int8 file (default: MODEL_int8.onnx)')
    parser.add_argument('--max-crops', type=int, default=32,
                        help='calibration persons (each with its mirror image)')
    parser.add_argument('--method', default='minmax', choices=['minmax', 'entropy', 'percentile'])
    parser.add_argument('--op-types', nargs='+', default=DEFAULT_OPS)
    parser.add_argument('--batch-size', type=int, default=16)
    return parser.parse_args(argv)


def calibration_crops(meta, source, bbox_file=None, ann_file=None, max_crops=32,
                      batch_size=16):
    """Batches of float32 BGR crops (n, 3, h, w) as numpy, the persons of ``source`` followed
    by their mirror images, at most ``max_crops`` persons in all."""
    import torch

    from vitpose_ext.inference import (ImageFiles, image_ids_from_annotations, list_images,
                                       load_detections, make_loader)
    from vitpose_ext.inference.crop import batch_crops
    boxes = load_detections(bbox_file) if bbox_file else None
    ids = image_ids_from_annotations(ann_file) if ann_file else None
    dataset = ImageFiles(list_images(source), meta['input_size'], meta['bbox_padding'],
                         meta['use_udp'], boxes=boxes, whole_image=boxes is None, image_ids=ids)
    crops = torch.cat([batch_crops(batch['images'], batch['items'], meta['input_size'])
                       for batch in make_loader(dataset, batch_size=batch_size, num_workers=0)])
    crops = crops[:max_crops]
    if not len(crops):
        raise ValueError(f'no person to calibrate on in {source}')
    return [torch.cat([c, c.flip(-1)]).numpy() for c in crops.split(batch_size)]


def quantize(model, out, batches, method='minmax', op_types=DEFAULT_OPS):
    """Write the int8 QDQ version of ``model`` to ``out``, calibrated on ``batches`` (numpy
    crops), with ``model``'s metadata."""
    import onnx
    from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod,
                                          QuantFormat, QuantType, quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.batches = iter(batches)

        def get_next(self):
            batch = next(self.batches, None)
            return None if batch is None else {'input': batch}

    methods = dict(minmax=CalibrationMethod.MinMax, entropy=CalibrationMethod.Entropy,
                   percentile=CalibrationMethod.Percentile)
    with tempfile.TemporaryDirectory() as tmp:
        prepared = osp.join(tmp, 'prepared.onnx')
        quant_pre_process(model, prepared)
        quantize_static(prepared, out, Reader(), quant_format=QuantFormat.QDQ,
                        op_types_to_quantize=list(op_types), per_channel=True,
                        activation_type=QuantType.QInt8, weight_type=QuantType.QInt8,
                        calibrate_method=methods[method])
    source, quantized = onnx.load(model), onnx.load(out)
    del quantized.metadata_props[:]
    quantized.metadata_props.extend(source.metadata_props)
    onnx.save(quantized, out)
    return out


def main(argv=None):
    args = parse_args(argv)
    import onnx
    meta = {p.key: p.value for p in onnx.load(args.model, load_external_data=False)
            .metadata_props}.get('vitpose_ext')
    if meta is None:
        raise SystemExit(f'quantize_onnx.py: {args.model} has no vitpose_ext metadata: export '
                         'it with tools/deploy/export_onnx.py')
    meta = json.loads(meta)
    out = args.out or osp.splitext(args.model)[0] + '_int8.onnx'
    batches = calibration_crops(meta, args.calib_input, args.bbox_file, args.ann_file,
                                args.max_crops, args.batch_size)
    quantize(args.model, out, batches, args.method, args.op_types)
    print(f'wrote {out}: int8 QDQ ({", ".join(args.op_types)}), calibrated on '
          f'{sum(len(b) for b in batches)} crops ({args.method})')
    return 0


if __name__ == '__main__':
    sys.exit(main())
