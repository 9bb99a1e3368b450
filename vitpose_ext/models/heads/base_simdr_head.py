"""What every SimDR head shares: decoding, flip test, losses and accuracy."""
import torch
from mmpose.evaluation.functional import simcc_pck_accuracy
from mmpose.models.heads.base_head import BaseHead
from mmpose.utils.tensor_utils import to_numpy

from ...codecs import SimDRLabel
from ...registry import KEYPOINT_CODECS, MODELS


def shift_bins(v, shift):
    """``out[..., j] = v[..., j + shift]``, linearly interpolated for a fractional shift, the
    end bins repeated past the ends."""
    if shift == 0:
        return v
    L = v.shape[-1]
    pos = (torch.arange(L, device=v.device, dtype=torch.float32) + shift).clamp(0, L - 1)
    lo = pos.floor().long()
    hi = (lo + 1).clamp(max=L - 1)
    frac = (pos - lo).to(v.dtype)
    return v[..., lo] * (1 - frac) + v[..., hi] * frac


class BaseSimDRHead(BaseHead):
    """Base of the SimDR heads: subclasses implement ``forward(feats) -> (pred_x, pred_y)``,
    logits of shapes (B, K, Lx) and (B, K, Ly).

    ``predict`` decodes with the ``decoder`` (a ``SimDRLabel``); with ``test_cfg['flip_test']``
    it gets ``[feats, feats_of_flipped_input]`` (as ``TopdownPoseEstimator`` passes them),
    maps the flipped logits back (keypoints swapped by the data samples' ``flip_indices``, x
    bins reversed and shifted by the codec's ``flip_shift``) and averages the logits.
    ``loss`` returns ``loss_kpt`` and ``acc_pose`` (PCK@0.05 of the argmax locations).

    Args:
        out_channels (int): number of keypoints K.
        loss (dict): the loss, called as ``loss((pred_x, pred_y), (gt_x, gt_y), weights)``:
            ``SimDRCrossEntropyLoss`` for one-hot labels, MMPose's ``KLDiscretLoss`` for
            Gaussian ones.
        decoder (dict): the ``SimDRLabel`` codec the labels come from; it fixes the vector
            lengths ``Lx, Ly`` and where the bins lie.
        init_cfg (dict | list[dict], optional): initialisation (default: MMPose's SimCCHead
            one, normal std 0.001 for convolutions and 0.01 for linear layers, zero biases).
    """

    def __init__(self, out_channels, loss, decoder, init_cfg=None):
        super().__init__(self.default_init_cfg if init_cfg is None else init_cfg)
        name = type(self).__name__
        if decoder is None:
            raise ValueError(f'{name}: needs decoder=dict(type="SimDRLabel", ...): the vector '
                             'lengths and the flip test depend on it')
        self.decoder = KEYPOINT_CODECS.build(decoder)
        if not isinstance(self.decoder, SimDRLabel):
            raise ValueError(f'{name}: decoder must be a SimDRLabel, got '
                             f'{type(self.decoder).__name__}')
        self.out_channels = out_channels
        self.label_size = self.decoder.label_size  # (Lx, Ly)
        self.loss_module = MODELS.build(loss)

    def flip_back(self, pred_x, pred_y, flip_indices):
        """Logits of a horizontally flipped input -> logits for the original input."""
        pred_x = shift_bins(pred_x[:, flip_indices].flip(-1), self.decoder.flip_shift)
        return pred_x, pred_y[:, flip_indices]

    def predict(self, feats, batch_data_samples, test_cfg=None):
        """Features (or ``[feats, flipped feats]`` with flip test) -> list of ``InstanceData``
        with ``keypoints`` (1, K, 2) in input pixels and ``keypoint_scores`` (1, K)."""
        if (test_cfg or {}).get('flip_test', False):
            assert isinstance(feats, list) and len(feats) == 2
            flip_indices = batch_data_samples[0].metainfo['flip_indices']
            pred_x, pred_y = self.forward(feats[0])
            flip_x, flip_y = self.flip_back(*self.forward(feats[1]), flip_indices)
            pred_x, pred_y = (pred_x + flip_x) * 0.5, (pred_y + flip_y) * 0.5
        else:
            pred_x, pred_y = self.forward(feats)
        return self.decode((pred_x.float(), pred_y.float()))  # float32 also under autocast

    def loss(self, feats, batch_data_samples, train_cfg=None):
        pred_x, pred_y = (p.float() for p in self.forward(feats))  # float32 also under autocast
        labels = [d.gt_instance_labels for d in batch_data_samples]
        gt_x = torch.cat([g.keypoint_x_labels for g in labels])
        gt_y = torch.cat([g.keypoint_y_labels for g in labels])
        weights = torch.cat([g.keypoint_weights for g in labels])
        loss = self.loss_module((pred_x, pred_y), (gt_x, gt_y), weights)
        # softmax first: MMPose's accuracy treats values <= 0 at the argmax as "no keypoint"
        _, acc, _ = simcc_pck_accuracy(
            output=(to_numpy(pred_x.softmax(-1)), to_numpy(pred_y.softmax(-1))),
            target=(to_numpy(gt_x), to_numpy(gt_y)),
            simcc_split_ratio=self.decoder.simcc_split_ratio,
            mask=to_numpy(weights) > 0)
        return dict(loss_kpt=loss, acc_pose=torch.tensor(acc, device=gt_x.device))

    @property
    def default_init_cfg(self):
        # MMPose's SimCCHead initialisation
        return [dict(type='Normal', layer=['Conv2d'], std=0.001),
                dict(type='Normal', layer=['Linear'], std=0.01, bias=0)]
