"""PCT stage 2: classify backbone features into pose tokens, decode them with the frozen
stage-1 tokenizer."""
import numpy as np
import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmpose.evaluation.functional import keypoint_pck_accuracy
from mmpose.models.backbones.resnet import BasicBlock
from mmpose.models.heads.base_head import BaseHead
from mmpose.models.utils.tta import flip_coordinates
from mmpose.registry import KEYPOINT_CODECS
from mmpose.utils.tensor_utils import to_numpy
from torch import nn

from ...utils.checkpoint import load_frozen
from ...registry import MODELS
from ..layers.mixer import mixer_stack
from ..tokenizers.pct_tokenizer import joint_features

LOOKUPS = ('soft', 'straight_through')
SCORE_TYPES = ('logit', 'prob')


def _fc_block(in_dim, out_dim):
    return nn.Sequential(nn.Linear(in_dim, out_dim), nn.LayerNorm(out_dim), nn.ReLU(inplace=True))


@MODELS.register_module()
class PCTHead(BaseHead):
    """The classifier head of PCT (Human Pose as Compositional Tokens).

    Last backbone feature map (B, C, H, W) -> 1x1 conv + BN + ReLU -> ``conv_num_blocks``
    ResNet basic blocks (the first with stride ``conv_stride``) -> flatten -> FC + LN + ReLU to
    M x ``hidden_dim`` -> ``num_blocks`` MixerBlocks over the M tokens -> FC + LN + ReLU ->
    Linear: logits (B, M, V) over the codebook entries. The M token features fed to the frozen
    tokenizer's decoder are ``softmax(logits) @ codebook`` (``lookup='soft'``, PCT), or, with
    ``lookup='straight_through'``, the entries of the top logits in the forward pass and the
    soft lookup's gradient in the backward pass.

    Losses: cross entropy of the logits against the tokenizer's token ids of the ground-truth
    pose (``loss_token``) + a joint loss on the decoded joints (``loss_joint``). The keypoint
    score of every joint is the mean over the M tokens of the top-1 logit (``score_type='logit'``,
    PCT) or of the top-1 probability (``'prob'``).

    The tokenizer is built from ``tokenizer`` and loaded from ``tokenizer_checkpoint`` (a
    stage-1 checkpoint, ``tokenizer.*`` keys, or a stage-2 one, ``head.tokenizer.*``) in
    :meth:`init_weights`, not in the constructor: a config builds without the file, and a
    stage-2 checkpoint holds the tokenizer (testing it needs no stage-1 file). The tokenizer
    is frozen (no gradients, eval mode: no codebook update) but back-propagates to the
    classifier. An image-guided tokenizer (``guide_channels`` = C) takes its guidance from the
    features this head receives, at the ground-truth joints.

    Args:
        in_channels (int): C of the backbone's last feature map.
        in_featuremap_size (tuple[int, int]): its (W, H).
        tokenizer (dict): the stage-1 ``PCTTokenizer`` config.
        tokenizer_checkpoint (str, optional): stage-1 checkpoint; None leaves the tokenizer
            random (tests only; a warning is logged).
        conv_channels, conv_num_blocks, conv_stride: the convolutional part (PCT: 256, 2, 1).
        num_blocks, hidden_dim, token_hidden, channel_hidden, drop: the Mixer part (PCT: 4,
            64, 64, 256, 0).
        lookup (str): 'soft' or 'straight_through'.
        score_type (str): 'logit' or 'prob'.
        loss_token_weight (float): weight of the token cross entropy (PCT: 1).
        loss_joint (dict): joint loss config (PCT: ``JointSmoothL1Loss`` beta 0.05, weight 1).
        decoder (dict): codec (``RegressionLabel`` with the input size).
    """

    def __init__(self, in_channels, in_featuremap_size, tokenizer, tokenizer_checkpoint=None,
                 conv_channels=256, conv_num_blocks=2, conv_stride=1, num_blocks=4, hidden_dim=64,
                 token_hidden=64, channel_hidden=256, drop=0.0, lookup='soft',
                 score_type='logit', loss_token_weight=1.0, loss_joint=None, decoder=None,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        name = type(self).__name__
        if lookup not in LOOKUPS:
            raise ValueError(f'{name}: lookup {lookup!r} not in {LOOKUPS}')
        if score_type not in SCORE_TYPES:
            raise ValueError(f'{name}: score_type {score_type!r} not in {SCORE_TYPES}')
        if conv_stride != 1 and conv_num_blocks < 1:
            raise ValueError(f'{name}: conv_stride {conv_stride} needs conv_num_blocks >= 1')
        if decoder is None:
            raise ValueError(f'{name}: decoder (the RegressionLabel codec) is required')
        self.lookup, self.score_type = lookup, score_type
        self.loss_token_weight = loss_token_weight
        self.tokenizer_checkpoint = tokenizer_checkpoint
        self.decoder = KEYPOINT_CODECS.build(decoder)
        self.loss_joint = MODELS.build(loss_joint or dict(type='JointSmoothL1Loss'))

        self.tokenizer = MODELS.build(tokenizer)
        self.tokenizer.requires_grad_(False)
        self.tokenizer.eval()
        num_tokens, num_codes = self.tokenizer.num_tokens, self.tokenizer.codebook.shape[0]

        convs = [ConvModule(in_channels, conv_channels, 1, norm_cfg=dict(type='BN'))]
        for i in range(conv_num_blocks):
            stride = conv_stride if i == 0 else 1
            down = None if stride == 1 else nn.Sequential(
                nn.Conv2d(conv_channels, conv_channels, 1, stride, bias=False),
                nn.BatchNorm2d(conv_channels))
            convs.append(BasicBlock(conv_channels, conv_channels, stride=stride, downsample=down))
        self.convs = nn.Sequential(*convs)
        w, h = (-(-s // conv_stride) for s in in_featuremap_size)
        self.num_tokens, self.hidden_dim = num_tokens, hidden_dim
        self.to_tokens = _fc_block(conv_channels * w * h, num_tokens * hidden_dim)
        self.mixer = mixer_stack(num_blocks, num_tokens, hidden_dim, token_hidden,
                                 channel_hidden, drop)
        self.mixer_out = _fc_block(hidden_dim, hidden_dim)
        self.classifier = nn.Linear(hidden_dim, num_codes)

    def train(self, mode=True):
        super().train(mode)
        self.tokenizer.eval()  # frozen: no masking, dropout or codebook update
        return self

    def init_weights(self):
        """Initialise the head, then load the frozen tokenizer from ``tokenizer_checkpoint``
        (:func:`~vitpose_ext.utils.checkpoint.load_frozen`)."""
        super().init_weights()
        load_frozen(type(self).__name__, self.tokenizer, self.tokenizer_checkpoint,
                    prefixes=('tokenizer.', 'head.tokenizer.'))

    def forward(self, feats):
        """Token logits (B, M, V) from the backbone features (a tuple; the last is used)."""
        x = self.convs(feats[-1]).flatten(1)
        x = self.to_tokens(x).view(-1, self.num_tokens, self.hidden_dim)
        return self.classifier(self.mixer_out(self.mixer(x)))

    def decode_logits(self, logits):
        """Joints (B, K, 2) in [0, 1] of the crop: the frozen decoder on the looked-up tokens."""
        probs = logits.softmax(-1)
        if self.lookup == 'straight_through':
            hard = F.one_hot(probs.argmax(-1), probs.shape[-1]).to(probs.dtype)
            probs = hard + probs - probs.detach()
        return self.tokenizer.decode(probs @ self.tokenizer.codebook)

    def _scores(self, logits):
        top = logits.softmax(-1) if self.score_type == 'prob' else logits
        return top.max(-1).values.mean(-1)  # (B,)

    def predict(self, feats, batch_data_samples, test_cfg={}):
        """Decoded poses (crop coordinates, as MMPose's heads return them); with
        ``flip_test`` ``feats`` is [features, features of the flipped images]."""
        if test_cfg.get('flip_test', False):
            meta = batch_data_samples[0].metainfo
            _feats, _feats_flip = feats
            logits, logits_flip = self.forward(_feats), self.forward(_feats_flip)
            joints_flip = flip_coordinates(self.decode_logits(logits_flip), meta['flip_indices'],
                                           test_cfg.get('shift_coords', True), meta['input_size'])
            joints = (self.decode_logits(logits) + joints_flip) / 2
            scores = (self._scores(logits) + self._scores(logits_flip)) / 2
        else:
            logits = self.forward(feats)
            joints, scores = self.decode_logits(logits), self._scores(logits)
        preds = self.decode(joints.float().unsqueeze(1))  # float32 also under autocast
        for pred, score in zip(preds, to_numpy(scores.float())):
            pred.keypoint_scores = np.full_like(pred.keypoint_scores, score)
        return preds

    def loss(self, feats, batch_data_samples, train_cfg={}):
        joints = torch.cat([d.gt_instance_labels.keypoint_labels for d in batch_data_samples])
        weights = torch.cat([d.gt_instance_labels.keypoint_weights for d in batch_data_samples])
        guide = (joint_features(feats[-1].detach(), joints)
                 if self.tokenizer.guide_channels else None)
        target_ids = self.tokenizer.tokenize(joints, weights, guide)
        logits = self.forward(feats).float()  # float32 also under autocast
        pred = self.decode_logits(logits).float()
        losses = dict(
            loss_token=F.cross_entropy(logits.flatten(0, 1), target_ids.flatten())
            * self.loss_token_weight,
            loss_joint=self.loss_joint(pred, joints, weights, self.decoder.input_size))
        _, acc, _ = keypoint_pck_accuracy(
            pred=to_numpy(pred), gt=to_numpy(joints), mask=to_numpy(weights) > 0, thr=0.05,
            norm_factor=np.ones((pred.shape[0], 2), dtype=np.float32))
        losses['acc_pose'] = torch.tensor(acc, device=joints.device)
        losses['acc_token'] = (logits.argmax(-1) == target_ids).float().mean()
        return losses
