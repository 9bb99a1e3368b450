"""Mean joint error in pixels of the input crop (e.g. of PCT's tokenizer reconstructions)."""
import numpy as np
from mmengine.evaluator import BaseMetric

from ...registry import METRICS


@METRICS.register_module()
class JointErrorMetric(BaseMetric):
    """Euclidean distance between predicted and ground-truth joints over the annotated joints
    (COCO visibility > 0), in pixels of the model's input crop: the image-space distance times
    ``input_size / input_scale`` of the sample. Needs ground-truth boxes (not detections).

    Metrics: ``mean_px``, ``median_px`` and ``pck@{thr}`` (fraction of joints within ``thr``
    pixels) for each of ``pck_thresholds``.
    """
    default_prefix = 'joint_error'

    def __init__(self, pck_thresholds=(2.0, 5.0), collect_device='cpu', prefix=None):
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.pck_thresholds = tuple(pck_thresholds)

    def process(self, data_batch, data_samples):
        for sample in data_samples:
            pred = np.asarray(sample['pred_instances']['keypoints'])[..., :2]
            gt = np.asarray(sample['gt_instances']['keypoints'])[..., :2]
            visible = np.asarray(sample['gt_instances']['keypoints_visible']) > 0
            scale = sample['input_size'][0] / np.asarray(sample['input_scale']).reshape(-1)[0]
            errors = np.linalg.norm(pred - gt, axis=-1) * scale
            self.results.append(errors[visible])

    def compute_metrics(self, results):
        errors = np.concatenate(results) if results else np.zeros(0)
        if errors.size == 0:
            return dict(mean_px=float('nan'), median_px=float('nan'))
        out = dict(mean_px=float(errors.mean()), median_px=float(np.median(errors)))
        for thr in self.pck_thresholds:
            out[f'pck@{thr:g}px'] = float((errors <= thr).mean())
        return out
