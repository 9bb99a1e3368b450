"""Export a top-down pose model of an MMPose config to ONNX.

The graph takes image crops ``input`` (B, 3, H, W), float32 BGR in [0, 255] as OpenCV reads them
(the config's mean / std normalisation and BGR -> RGB are inside the graph), with a dynamic batch,
and returns, by head:

* heatmap heads (ViTPose, the stock baseline, merged ViTPose++, deployed knowledge-token models):
  ``heatmaps`` (B, K, h, w);
* SimDR heads: ``simcc_x`` (B, K, Lx) and ``simcc_y`` (B, K, Ly) logits, or with
  ``output='keypoints'`` the codec's decoding in the graph;
* the PCT head: ``keypoints`` (B, K, 2) and ``scores`` (B, K), decoded by its frozen tokenizer.

``keypoints`` are in crop (input) pixels. The model's metadata (``vitpose_ext`` in the ONNX
file's metadata_props, JSON) says how the crops are cut and the outputs decoded, so that
``tools/deploy/onnx_topdown.py`` runs top-down inference from the file alone. A ViTPose++
(multi-task) model is exported for one data set (``dataset_idx``): its experts are merged into a
plain ViTPose first (``converters.merge_experts``), the same outputs at plain ViTPose's cost.
"""
import copy
import json

import numpy as np
import torch
from torch import nn

from ..converters import merge_experts
from ..utils.checkpoint import load_checkpoint_file

OUTPUTS = ('default', 'keypoints')


class PoseExportModule(nn.Module):
    """Crops in, the head's outputs (or decoded keypoints) out; see the module docstring."""

    def __init__(self, model, output='default'):
        super().__init__()
        from ..models.heads import PCTHead, SimDRHead, SimDRTokenHead
        self.model = model
        pre = model.data_preprocessor
        self.register_buffer('mean', pre.mean.detach().clone().float().view(1, -1, 1, 1))
        self.register_buffer('std', pre.std.detach().clone().float().view(1, -1, 1, 1))
        self.bgr_to_rgb = bool(pre._channel_conversion)
        head = model.head
        if isinstance(head, PCTHead):
            self.kind = 'keypoints'
        elif isinstance(head, (SimDRHead, SimDRTokenHead)):
            self.kind = 'keypoints' if output == 'keypoints' else 'simcc'
        elif output == 'keypoints':
            raise ValueError(f'{type(self).__name__}: {type(head).__name__} has no decoding in '
                             "the graph; export its heatmaps (output='default') and decode "
                             'them as tools/deploy/onnx_topdown.py does')
        else:
            self.kind = 'heatmaps'
        self.output_names = dict(heatmaps=['heatmaps'], simcc=['simcc_x', 'simcc_y'],
                                 keypoints=['keypoints', 'scores'])[self.kind]

    def forward(self, x):
        if self.bgr_to_rgb:
            x = x.flip(1)
        x = (x - self.mean) / self.std
        head = self.model.head
        out = head.forward(self.model.extract_feat(x))
        if self.kind in ('heatmaps', 'simcc'):
            return out
        if hasattr(head, 'decode_logits'):  # PCT: joints in [0, 1] of the crop
            size = out.new_tensor(head.decoder.input_size)
            joints = head.decode_logits(out)
            return joints * size, head._scores(out)[:, None].expand(-1, joints.shape[1])
        return head.decoder.decode_tensor(*out)


def _plain_from_multi_task(model, checkpoint, dataset_idx):
    """The plain ViTPose (``TopdownPoseEstimator``) that a multi-task model is for data set t."""
    from mmpose.registry import MODELS
    if dataset_idx is None:
        dataset_idx = model.test_cfg.get('dataset_idx')
    if dataset_idx is None or not 0 <= dataset_idx < model.num_datasets:
        raise ValueError(f'a multi-task (ViTPose++) model is exported for one data set: pass '
                         f'dataset_idx in [0, {model.num_datasets})')
    cfg = model.cfg.model
    backbone = copy.deepcopy(cfg.backbone)
    backbone.pop('ffn_cfg', None)
    head = cfg.head[dataset_idx] if isinstance(cfg.head, (list, tuple)) else cfg.head
    plain = MODELS.build(dict(
        type='TopdownPoseEstimator', data_preprocessor=cfg.data_preprocessor,
        backbone=backbone,
        head=dict(head, out_channels=model.metainfos[dataset_idx]['num_keypoints']),
        test_cfg=model.test_cfg))
    plain.load_state_dict(merge_experts(checkpoint, dataset_idx))
    plain.dataset_meta = model.metainfos[dataset_idx]
    plain.cfg = model.cfg
    return plain.eval()


def _crop_metadata(cfg):
    """How the config's test pipeline cuts a crop: bbox padding and UDP."""
    pipeline = cfg.test_dataloader.dataset.pipeline
    find = lambda name: next((t for t in pipeline if t['type'] == name), {})  # noqa: E731
    return dict(bbox_padding=float(find('GetBBoxCenterScale').get('padding', 1.25)),
                use_udp=bool(find('TopdownAffine').get('use_udp', False)))


def metadata(module, cfg):
    """What tools/deploy/onnx_topdown.py needs to cut crops and decode the outputs."""
    model = module.model
    meta = dict(format=1, outputs=module.output_names, kind=module.kind,
                num_keypoints=int(model.dataset_meta['num_keypoints']),
                keypoint_names=[model.dataset_meta['keypoint_id2name'][i]
                                for i in range(model.dataset_meta['num_keypoints'])],
                **_crop_metadata(cfg))
    codec = model.head.decoder
    meta['input_size'] = [int(v) for v in codec.input_size]  # (w, h)
    if module.kind == 'heatmaps':
        meta['heatmap_size'] = [int(v) for v in codec.heatmap_size]
        udp = type(codec).__name__ == 'UDPHeatmap' and codec.heatmap_type == 'gaussian'
        meta['decode'] = 'udp_dark' if udp else 'argmax'
        meta['blur_kernel_size'] = int(getattr(codec, 'blur_kernel_size', 11))
    return meta


def build_export_module(config, checkpoint, output='default', dataset_idx=None):
    """(PoseExportModule in eval mode, metadata dict) for an MMPose config and checkpoint
    (loaded as MMPose's ``init_model`` does, safely: see ``utils.checkpoint``)."""
    from mmpose.apis import init_model

    from ..models.pose_estimators import MultiTaskTopdownPoseEstimator
    if output not in OUTPUTS:
        raise ValueError(f'export: output must be one of {OUTPUTS}, got {output!r}')
    model = init_model(config, checkpoint, device='cpu').eval()
    if isinstance(model, MultiTaskTopdownPoseEstimator):
        state = load_checkpoint_file(checkpoint, map_location='cpu')
        model = _plain_from_multi_task(model, state, dataset_idx)
    module = PoseExportModule(model, output).eval()
    return module, metadata(module, model.cfg)


def export_onnx(module, meta, path, opset=18, batch=2):
    """Write ``module`` to ``path`` (dynamic batch) with ``meta`` in its metadata_props."""
    import onnx
    w, h = meta['input_size']
    example = torch.rand(batch, 3, h, w) * 255
    batch_dim = torch.export.Dim('batch', min=1)  # the outputs follow the input's batch
    with torch.no_grad():
        torch.onnx.export(module, (example, ), path, input_names=['input'],
                          output_names=module.output_names, dynamic_shapes=({0: batch_dim}, ),
                          opset_version=opset, dynamo=True, verbose=False)
    graph = onnx.load(path)
    graph.metadata_props.add(key='vitpose_ext', value=json.dumps(meta))
    onnx.save(graph, path)
    return path


def max_difference(module, meta, path, batch=3, seed=0):
    """Largest absolute difference between onnxruntime and PyTorch on random crops of a batch
    size other than the export's, per output."""
    import onnxruntime as ort
    w, h = meta['input_size']
    x = torch.rand(batch, 3, h, w, generator=torch.Generator().manual_seed(seed)) * 255
    with torch.no_grad():
        expected = module(x)
    expected = expected if isinstance(expected, tuple) else (expected, )
    session = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    got = session.run(None, {'input': x.numpy()})
    return {name: float(np.abs(g - e.numpy()).max())
            for name, g, e in zip(module.output_names, got, expected)}
