"""Top-down pose estimation over several data sets at once (ViTPose++): one backbone that routes
each sample by its data set, and one head per data set with that data set's keypoints."""
import torch
from mmengine.model import ModuleList
from mmpose.datasets.datasets.utils import parse_pose_metainfo
from mmpose.models.pose_estimators import TopdownPoseEstimator

from ...registry import MODELS
from ...utils.metainfo import installed_metainfo


@MODELS.register_module()
class MultiTaskTopdownPoseEstimator(TopdownPoseEstimator):
    """Backbone (+ neck) shared by T data sets, one head per data set.

    Every data sample carries ``metainfo['dataset_idx']`` (``SetDatasetIndex`` in its data set's
    pipeline, ``'dataset_idx'`` in ``PackPoseInputs(meta_keys=...)``). The index goes to the
    backbone as ``backbone(inputs, dataset_idx=idx)`` (``ViTPoseBackbone`` hands it to every FFN:
    ``ViTMoEMlp`` routes by it, ``ViTMlp`` ignores it), and each sample's features go to its data
    set's head. Batches may mix data sets; the loop runs over the data sets present, not over
    samples. In training a sample without an index is an error; in prediction such samples (MMPose's
    inferencer and ``inference_topdown`` run one data set's test pipeline) use
    ``test_cfg['dataset_idx']``, the data set whose expert and head predict, which also selects
    the keypoints and skeleton the inferencer draws (``dataset_meta``).

    Args:
        backbone, neck, train_cfg, test_cfg, data_preprocessor, init_cfg: as
            ``TopdownPoseEstimator``.
        head (dict | list[dict]): one head config for every data set (``out_channels`` is set to
            each data set's keypoint count), or one config per data set (a stated
            ``out_channels`` must match the data set's).
        metainfos (list[dict]): the data sets' metainfo, in index order, as MMPose takes it (e.g.
            ``dict(from_file='configs/_base_/datasets/coco.py')``): keypoint counts and the flip
            indices for each head's flip test. (``CombinedDataset`` overwrites the samples' own
            ``flip_indices`` with its common metainfo, so they cannot come from the samples.)

    ``loss`` returns ``loss_kpt`` and ``acc_pose`` averaged over the batch: each head's mean is
    weighted by its share of the samples, so a one-data-set batch gives that head's values.
    """

    def __init__(self, backbone, head, metainfos, neck=None, train_cfg=None, test_cfg=None,
                 data_preprocessor=None, init_cfg=None):
        name = type(self).__name__
        if not metainfos:
            raise ValueError(f'{name}: metainfos must list the metainfo of every data set')
        metainfos = [parse_pose_metainfo(installed_metainfo(m)) for m in metainfos]
        per_dataset = isinstance(head, (list, tuple))
        head_cfgs = head if per_dataset else [head] * len(metainfos)
        if len(head_cfgs) != len(metainfos):
            raise ValueError(f'{name}: {len(head_cfgs)} head configs for '
                             f'{len(metainfos)} data sets')
        for i, (cfg, meta) in enumerate(zip(head_cfgs, metainfos)):
            k = meta['num_keypoints']
            if per_dataset and cfg.get('out_channels', k) != k:
                raise ValueError(f"{name}: head {i} has out_channels={cfg['out_channels']} but "
                                 f"data set {i} ({meta['dataset_name']}) has {k} keypoints")
        head_cfgs = [dict(cfg, out_channels=meta['num_keypoints'])
                     for cfg, meta in zip(head_cfgs, metainfos)]
        # MMPose's constructor builds the backbone, the neck and data set 0's head (with its
        # old-config update); the other heads are built as it builds that one
        super().__init__(backbone, neck=neck, head=head_cfgs[0], train_cfg=train_cfg,
                         test_cfg=test_cfg, data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.metainfos = metainfos
        heads = [self.head]
        del self.head
        for cfg in head_cfgs[1:]:
            heads.append(MODELS.build(cfg))
            heads[-1].test_cfg = self.test_cfg.copy()
        self.heads = ModuleList(heads)  # MMEngine's: init_weights() reaches every head's init_cfg

    @property
    def with_head(self):
        return True

    @property
    def num_datasets(self):
        return len(self.heads)

    @property
    def dataset_meta(self):
        """The metainfo of ``test_cfg['dataset_idx']``'s data set when set (what the inferencer
        draws), else the one assigned (a checkpoint's: the combined data set's)."""
        t = self.test_cfg.get('dataset_idx')
        return self.metainfos[t] if t is not None else self.__dict__.get('_dataset_meta')

    @dataset_meta.setter
    def dataset_meta(self, value):
        self.__dict__['_dataset_meta'] = value

    def dataset_indices(self, data_samples, device=None, default=None):
        """(B,) long tensor of the samples' ``metainfo['dataset_idx']`` (``default`` for samples
        without one, when given); a clear error when one is missing or out of range."""
        name = type(self).__name__
        if data_samples is None:
            raise ValueError(f'{name}: needs data samples carrying metainfo["dataset_idx"]')
        idx = []
        for i, sample in enumerate(data_samples):
            value = sample.metainfo.get('dataset_idx', default)
            if value is None:
                image = sample.metainfo.get('img_path', 'an image')
                raise ValueError(
                    f"{name}: the sample of {image} (batch position {i}) has no 'dataset_idx': "
                    "in training, add dict(type='SetDatasetIndex', dataset_idx=...) to every "
                    "data set's pipeline and 'dataset_idx' to PackPoseInputs(meta_keys=...); "
                    "to predict (MMPose's inferencer, inference_topdown), set "
                    "model.test_cfg.dataset_idx to the data set whose expert and head to use, "
                    'or merge the experts into a plain ViTPose (tools/merge_experts.py)')
            if not 0 <= int(value) < self.num_datasets:
                raise ValueError(f'{name}: data sample {i} has dataset_idx={value}, but there '
                                 f'are {self.num_datasets} heads')
            idx.append(int(value))
        return torch.tensor(idx, dtype=torch.long, device=device)

    @staticmethod
    def _groups(idx):
        """[(data set t, indices of its samples)] for the data sets present, ascending."""
        return [(t, (idx == t).nonzero().squeeze(1)) for t in idx.unique().tolist()]

    def extract_feat(self, inputs, dataset_idx):
        x = self.backbone(inputs, dataset_idx=dataset_idx)
        if self.with_neck:
            x = self.neck(x)
        return x

    def _forward(self, inputs, data_samples=None):
        """Tensor mode: a tuple with each present data set's head output (its samples in batch
        order), data sets ascending."""
        idx = self.dataset_indices(data_samples, inputs.device, self.test_cfg.get('dataset_idx'))
        feats = self.extract_feat(inputs, idx)
        return tuple(self.heads[t].forward(tuple(f[sel] for f in feats))
                     for t, sel in self._groups(idx))

    def loss(self, inputs, data_samples):
        idx = self.dataset_indices(data_samples, inputs.device)
        feats = self.extract_feat(inputs, idx)
        losses = {}
        for t, sel in self._groups(idx):
            part = self.heads[t].loss(tuple(f[sel] for f in feats),
                                      [data_samples[i] for i in sel.tolist()],
                                      train_cfg=self.train_cfg)
            share = len(sel) / len(data_samples)
            for key, value in part.items():
                losses[key] = losses.get(key, 0) + value * share
        return losses

    def predict(self, inputs, data_samples):
        idx = self.dataset_indices(data_samples, inputs.device, self.test_cfg.get('dataset_idx'))
        feats = self.extract_feat(inputs, idx)
        flip = self.test_cfg.get('flip_test', False)
        feats_flip = self.extract_feat(inputs.flip(-1), idx) if flip else None
        instances, fields = [None] * len(data_samples), [None] * len(data_samples)
        for t, sel in self._groups(idx):
            rows = sel.tolist()
            samples = [data_samples[i] for i in rows]
            for sample in samples:
                sample.set_metainfo(dict(flip_indices=self.metainfos[t]['flip_indices']))
            sub = tuple(f[sel] for f in feats)
            if flip:
                sub = [sub, tuple(f[sel] for f in feats_flip)]
            preds = self.heads[t].predict(sub, samples, test_cfg=self.test_cfg)
            part_instances, part_fields = preds if isinstance(preds, tuple) else (preds, None)
            for j, i in enumerate(rows):
                instances[i] = part_instances[j]
                fields[i] = None if part_fields is None else part_fields[j]
        if any(f is None for f in fields):
            fields = None
        return self.add_pred_to_datasample(instances, fields, data_samples)
