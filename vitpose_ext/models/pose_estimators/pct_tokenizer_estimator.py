"""PCT stage 1: the model the runner trains to learn the pose tokenizer."""
import torch
from mmengine.model import BaseModel
from mmengine.structures import InstanceData
from mmpose.datasets.datasets.utils import parse_pose_metainfo
from mmpose.models.utils.tta import flip_coordinates, flip_visibility
from mmpose.registry import KEYPOINT_CODECS

from ...registry import MODELS
from ...utils.checkpoint import load_frozen
from ..tokenizers.pct_tokenizer import joint_features


@MODELS.register_module()
class PCTTokenizerEstimator(BaseModel):
    """Trains a :class:`PCTTokenizer` to reconstruct ground-truth poses; its predictions are
    the reconstructions (in image coordinates, for ``CocoMetric`` / ``JointErrorMetric``).

    Poses come from the data samples: ``gt_instance_labels.keypoint_labels`` / ``keypoint_weights``
    (``GenerateTarget`` with the ``codec``, MMPose's ``RegressionLabel``), in train and in test
    pipelines. Without ``guide_backbone`` no image is needed: pipelines start with ``SkipImage``
    and end with ``PackPoseOnlyInputs``. With it, a frozen backbone's features at the joints
    guide the encoder (images needed; its weights come from ``guide_checkpoint``).

    Args:
        tokenizer (dict): the ``PCTTokenizer`` config.
        codec (dict): the keypoint codec of the pipeline (``RegressionLabel`` with the input
            size): normalises joints to the crop; decodes reconstructions.
        loss_joint (dict): joint loss (``JointSmoothL1Loss``, PCT: beta 0.05, weight 1).
        commit_weight (float): weight of the commitment loss (PCT: 15).
        guide_backbone (dict, optional): backbone config (kept frozen, eval mode).
        guide_checkpoint (str, optional): the guide backbone's trained weights (a heatmap model's
            checkpoint, whose ``backbone.*`` keys are taken, or a backbone's own), loaded in
            :meth:`init_weights` by :func:`~vitpose_ext.utils.checkpoint.load_frozen`.
        test_cfg (dict, optional): ``flip_test`` (reconstruct the flipped pose too and average,
            as PCT does), ``shift_coords`` (default True: UDP-aligned flip).
        data_preprocessor (dict, optional): ``BaseDataPreprocessor`` without images,
            ``PoseDataPreprocessor`` with.
        metainfo (dict, optional): dataset meta information (as MMPose's estimators take it).
    """

    def __init__(self, tokenizer, codec, loss_joint=None, commit_weight=15.0,
                 guide_backbone=None, guide_checkpoint=None, test_cfg=None,
                 data_preprocessor=None, metainfo=None, init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.tokenizer = MODELS.build(tokenizer)
        self.codec = KEYPOINT_CODECS.build(codec)
        self.loss_joint = MODELS.build(loss_joint or dict(type='JointSmoothL1Loss'))
        self.commit_weight = commit_weight
        self.test_cfg = dict(test_cfg or {})
        self.metainfo = None if metainfo is None else parse_pose_metainfo(metainfo)
        self.guide_backbone = MODELS.build(guide_backbone) if guide_backbone else None
        if guide_checkpoint is not None and self.guide_backbone is None:
            raise ValueError(f'{type(self).__name__}: guide_checkpoint given, but no '
                             'guide_backbone')
        self.guide_checkpoint = guide_checkpoint
        if self.guide_backbone is not None:
            self.guide_backbone.requires_grad_(False)

    def init_weights(self):
        super().init_weights()
        if self.guide_backbone is not None:
            load_frozen(type(self).__name__, self.guide_backbone, self.guide_checkpoint,
                        prefixes=('backbone.', ''))

    def train(self, mode=True):
        super().train(mode)
        if self.guide_backbone is not None:
            self.guide_backbone.eval()
        return self

    def _poses(self, data_samples):
        labels = torch.cat([d.gt_instance_labels.keypoint_labels for d in data_samples])
        weights = torch.cat([d.gt_instance_labels.keypoint_weights for d in data_samples])
        return labels, weights

    @torch.no_grad()
    def _guide(self, inputs, joints):
        if self.guide_backbone is None:
            return None
        return joint_features(self.guide_backbone(inputs)[-1], joints)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        if isinstance(inputs, list):
            inputs = torch.stack(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            if self.metainfo is not None:
                for sample in data_samples:
                    sample.set_metainfo(self.metainfo)
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            joints, weights = self._poses(data_samples)
            return self.tokenizer(joints, weights, self._guide(inputs, joints))['joints']
        raise RuntimeError(f'Invalid mode "{mode}": loss, predict or tensor')

    def loss(self, inputs, data_samples):
        joints, weights = self._poses(data_samples)
        out = self.tokenizer(joints, weights, self._guide(inputs, joints))
        losses = dict(
            loss_joint=self.loss_joint(out['joints'], joints, weights, self.codec.input_size),
            loss_commit=out['loss_commit'] * self.commit_weight)
        losses.update(out['stats'])
        return losses

    def predict(self, inputs, data_samples):
        joints, weights = self._poses(data_samples)
        recon = self.tokenizer(joints, weights, self._guide(inputs, joints))['joints']
        if self.test_cfg.get('flip_test', False):
            flip_indices = data_samples[0].metainfo['flip_indices']
            shift = self.test_cfg.get('shift_coords', True)
            flipped = flip_coordinates(joints.clone(), flip_indices, shift, self.codec.input_size)
            guide = self._guide(inputs.flip(-1), flipped)
            recon_f = self.tokenizer(flipped, flip_visibility(weights, flip_indices), guide)
            recon = (recon + flip_coordinates(recon_f['joints'], flip_indices, shift,
                                              self.codec.input_size)) / 2
        for coords, sample in zip(recon.detach().float().cpu().numpy(), data_samples):
            keypoints, scores = self.codec.decode(coords[None])
            # from the input crop to the image, as MMPose's top-down estimators do
            meta = sample.metainfo
            scale, size = meta['input_scale'], meta['input_size']
            keypoints = keypoints / size * scale + meta['input_center'] - 0.5 * scale
            sample.pred_instances = InstanceData(
                keypoints=keypoints, keypoint_scores=scores, keypoints_visible=scores,
                bboxes=sample.gt_instances.bboxes, bbox_scores=sample.gt_instances.bbox_scores)
        return data_samples
