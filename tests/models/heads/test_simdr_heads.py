"""SimDRHead / SimDRTokenHead: shapes, parity with MMPose's SimCCHead, losses, gradients,
flip test."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.structures import InstanceData
from mmpose.models.heads import SimCCHead
from mmpose.registry import MODELS
from mmpose.structures import PoseDataSample

from vitpose_ext.codecs import SimDRLabel
from vitpose_ext.models.heads import SimDRHead, SimDRTokenHead
from vitpose_ext.models.heads.base_simdr_head import BaseSimDRHead, shift_bins

pytestmark = pytest.mark.numerics  # two paths: run in both regimes

K = 17
INPUT = (48, 64)  # (w, h)
COCO_FLIP = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15]
GAUSS = dict(type='SimDRLabel', input_size=INPUT, simcc_split_ratio=2.0, label_type='gaussian',
             sigma=2.0)
ONE_HOT = dict(type='SimDRLabel', input_size=INPUT, simcc_split_ratio=3.0,
               label_type='one_hot', label_smoothing=0.1)
CE = dict(type='SimDRCrossEntropyLoss', use_target_weight=True)
KL = dict(type='KLDiscretLoss', use_target_weight=True)


def featmap_head(decoder=GAUSS, loss=KL, channels=32):
    head = SimDRHead(channels, K, in_featuremap_size=(6, 8), loss=loss, decoder=decoder)
    head.init_weights()
    return head


def samples(codec, num, seed=0):
    """Data samples with labels of random keypoints, some invisible, as the pipeline makes."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(num):
        kps = rng.uniform(0, 1, (1, K, 2)) * (np.array(INPUT) - 1)
        vis = (rng.uniform(size=(1, K)) > 0.2).astype(np.float32)
        labels = codec.encode(kps, vis)
        # a box whose crop is the input itself: predictions come back unchanged
        sample = PoseDataSample(metainfo=dict(
            flip_indices=COCO_FLIP, input_size=INPUT, input_center=np.array(INPUT) / 2,
            input_scale=np.array(INPUT, dtype=np.float32)))
        sample.gt_instance_labels = InstanceData(**{k: torch.from_numpy(v)
                                                    for k, v in labels.items()})
        sample.gt_instances = InstanceData(keypoints=kps, keypoints_visible=vis,
                                           bboxes=np.array([[0, 0, *INPUT]], np.float32),
                                           bbox_scores=np.ones(1, np.float32))
        out.append(sample)
    return out


def test_shapes_and_sizes_from_the_codec():
    head = featmap_head()
    x, y = head((torch.randn(2, 32, 8, 6), ))
    assert x.shape == (2, K, 96) and y.shape == (2, K, 128)
    token = SimDRTokenHead(32, K, loss=CE, decoder=ONE_HOT)
    x, y = token((torch.randn(2, K, 32), ))
    assert x.shape == (2, K, 144) and y.shape == (2, K, 192)


def test_bad_inputs_and_arguments_raise_value_errors_naming_the_class():
    with pytest.raises(ValueError, match='SimDRHead.*in_featuremap_size'):
        featmap_head()((torch.randn(2, 32, 6, 8), ))
    with pytest.raises(ValueError, match='SimDRTokenHead.*num_extra_tokens=17'):
        SimDRTokenHead(32, K, loss=CE, decoder=ONE_HOT)((torch.randn(2, 16, 32), ))
    with pytest.raises(ValueError, match='SimDRHead.*decoder'):
        SimDRHead(32, K, (6, 8), loss=KL, decoder=None)
    with pytest.raises(ValueError, match='SimDRHead: deconv_kernel_sizes'):
        SimDRHead(32, K, (6, 8), loss=KL, decoder=GAUSS, deconv_out_channels=(16, 16),
                  deconv_kernel_sizes=(4, ))
    with pytest.raises(ValueError, match='SimDRTokenHead.*SimDRLabel'):
        SimDRTokenHead(32, K, loss=KL, decoder=dict(type='SimCCLabel', input_size=INPUT))


@pytest.mark.parametrize('deconv', [None, (16, 8)])
def test_featmap_head_matches_mmpose_simcc_head(deconv):
    """With and without deconvolutions: same layers (its weights load as they are, strictly),
    same outputs, and with MMPose's labels and KLDiscretLoss the same loss."""
    kernels = deconv and (4, 4)
    ref = SimCCHead(32, K, input_size=INPUT, in_featuremap_size=(6, 8), simcc_split_ratio=2.0,
                    deconv_out_channels=deconv, deconv_kernel_sizes=kernels, loss=KL,
                    decoder=dict(type='SimCCLabel', input_size=INPUT, sigma=2.0,
                                 simcc_split_ratio=2.0))
    ref.init_weights()
    ours = SimDRHead(32, K, (6, 8), loss=KL, decoder=dict(GAUSS, bin_centres='mmpose'),
                     deconv_out_channels=deconv, deconv_kernel_sizes=kernels)
    ours.load_state_dict(ref.state_dict())
    assert sum(p.numel() for p in ours.parameters()) == sum(p.numel() for p in ref.parameters())
    ours.eval(), ref.eval()  # BatchNorm of the deconvolutions: running statistics
    feats = (torch.randn(4, 32, 8, 6), )
    for a, b in zip(ours(feats), ref(feats)):
        torch.testing.assert_close(a, b)
    batch = samples(ours.decoder, 4)
    torch.testing.assert_close(ours.loss(feats, batch)['loss_kpt'],
                               ref.loss(feats, batch)['loss_kpt'])


@pytest.mark.parametrize('decoder,loss', [(GAUSS, KL), (ONE_HOT, CE)])
def test_loss_keys_and_accuracy(decoder, loss):
    head = featmap_head(decoder, loss)
    losses = head.loss((torch.randn(4, 32, 8, 6), ), samples(head.decoder, 4))
    assert set(losses) == {'loss_kpt', 'acc_pose'}
    assert losses['loss_kpt'].ndim == 0 and losses['loss_kpt'] > 0

    class Oracle(BaseSimDRHead):
        """Outputs the labels' logits: accuracy 1, the smallest loss."""

        def forward(self, feats):
            return feats

    oracle = Oracle(K, loss, decoder)
    batch = samples(oracle.decoder, 4)
    gt = [torch.cat([s.gt_instance_labels[key] for s in batch])
          for key in ('keypoint_x_labels', 'keypoint_y_labels')]
    best = oracle.loss(tuple(torch.log(g + 1e-9) for g in gt), batch)
    assert best['acc_pose'] == 1
    worse = oracle.loss(tuple(torch.log(g.roll(40, -1) + 1e-9) for g in gt), batch)
    assert worse['acc_pose'] < 0.5 and worse['loss_kpt'] > best['loss_kpt']


def tiny_model(head, num_extra_tokens=0):
    backbone = dict(type='ViTPoseBackbone',
                    arch=dict(embed_dims=32, num_layers=2, num_heads=2, mlp_ratio=2.0),
                    img_size=(64, 48), patch_size=8, patch_padding=0,
                    num_extra_tokens=num_extra_tokens,
                    out_type='extra_tokens' if num_extra_tokens else 'featmap')
    model = MODELS.build(dict(type='TopdownPoseEstimator', backbone=backbone, head=head,
                              test_cfg=dict(flip_test=True)))
    model.init_weights()
    return model


def model_under_test(kind, **decoder_kw):
    """A tiny ViT + SimDR head: 'featmap' (SimDRHead, Gaussian labels, KL), 'deconv' (the same
    on maps upsampled 4x) or 'token' (SimDRTokenHead on 17 keypoint tokens, one-hot labels,
    cross entropy)."""
    if kind in ('featmap', 'deconv'):
        deconv = dict(deconv_out_channels=(16, 16), deconv_kernel_sizes=(4, 4))
        return tiny_model(dict(type='SimDRHead', in_channels=32, out_channels=K,
                               in_featuremap_size=(6, 8), loss=KL,
                               decoder=dict(GAUSS, **decoder_kw),
                               **(deconv if kind == 'deconv' else {})))
    return tiny_model(dict(type='SimDRTokenHead', in_channels=32, out_channels=K, loss=CE,
                           decoder=dict(ONE_HOT, **decoder_kw)), num_extra_tokens=K)


@pytest.mark.parametrize('kind', ['featmap', 'deconv', 'token'])
def test_gradients_reach_every_trainable_parameter(kind):
    torch.manual_seed(0)
    model = model_under_test(kind)
    losses = model.loss(torch.randn(4, 3, 64, 48), samples(model.head.decoder, 4))
    losses['loss_kpt'].backward()
    missing = [n for n, p in model.named_parameters()
               if p.requires_grad and (p.grad is None or not p.grad.abs().sum() > 0)]
    assert not missing
    if kind == 'token':
        assert model.backbone.extra_tokens.grad.abs().sum() > 0


@pytest.mark.parametrize('kind', ['featmap', 'deconv', 'token'])
def test_flip_test_predictions_on_a_flipped_input_are_the_mirror_image(kind):
    """With flip test, the prediction for the mirrored image must be the mirrored prediction,
    keypoint for keypoint (left and right swapped), for any network: x -> w - 1 - x, same y,
    same scores. Reversing the bins one bin off, or not swapping left / right, breaks it."""
    torch.manual_seed(0)
    model = model_under_test(kind, refine=True).eval()
    inputs = torch.randn(3, 3, 64, 48)
    with torch.no_grad():
        pred = model.predict(inputs, samples(model.head.decoder, 3))
        pred_f = model.predict(inputs.flip(-1), samples(model.head.decoder, 3))
    for a, b in zip(pred, pred_f):
        kps, kps_f = a.pred_instances.keypoints[0], b.pred_instances.keypoints[0][COCO_FLIP]
        np.testing.assert_allclose(kps_f[:, 0], INPUT[0] - 1 - kps[:, 0], atol=1e-4)
        np.testing.assert_allclose(kps_f[:, 1], kps[:, 1], atol=1e-4)
        np.testing.assert_allclose(b.pred_instances.keypoint_scores[0][COCO_FLIP],
                                   a.pred_instances.keypoint_scores[0], rtol=1e-4)


@pytest.mark.parametrize('centres', ['pixel', 'mmpose'])
@pytest.mark.parametrize('k', [2.0, 3.0])
def test_flip_test_aligns_the_flipped_prediction(centres, k):
    """A network that is right on both the image and its mirror image: averaging the two after
    flipping back must keep the answer (to the nearest bin, exactly with refinement). MMPose's
    flip for SimCC (reverse, no shift) would be (k - 1) / k px off with 'mmpose' bins."""
    codec = SimDRLabel(INPUT, simcc_split_ratio=k, label_type='gaussian', sigma=2.0,
                       bin_centres=centres, refine=True)

    class Oracle(BaseSimDRHead):

        def forward(self, feats):
            return feats

    head = Oracle(K, KL, dict(type='SimDRLabel', input_size=INPUT, simcc_split_ratio=k,
                              label_type='gaussian', sigma=2.0, bin_centres=centres,
                              refine=True))
    rng = np.random.default_rng(0)
    kps = rng.uniform(4, 40, (1, K, 2))
    mirrored = kps[:, COCO_FLIP].copy()
    mirrored[..., 0] = INPUT[0] - 1 - mirrored[..., 0]

    def logits(points):
        enc = codec.encode(points)
        return tuple(torch.log(torch.from_numpy(enc[key]) + 1e-12)
                     for key in ('keypoint_x_labels', 'keypoint_y_labels'))

    batch = samples(codec, 1)
    pred = head.predict([logits(kps), logits(mirrored)], batch, dict(flip_test=True))
    nearest = codec.decode(*[t.numpy() for t in logits(kps)])[0]
    np.testing.assert_allclose(pred[0].keypoints, nearest, atol=1e-4)
    assert np.abs(pred[0].keypoints - kps).max() <= 1 / (2 * k) + 1e-4

    # reversing without the shift: the two log-Gaussians average to one halfway between them
    unshifted = logits(mirrored)[0][:, COCO_FLIP].flip(-1)
    avg = (logits(kps)[0] + unshifted) / 2
    off = codec.decode(avg.numpy(), logits(kps)[1].numpy())[0][..., 0] - nearest[..., 0]
    np.testing.assert_allclose(off, codec.flip_shift / (2 * k), atol=1e-4)


def test_shift_bins():
    v = torch.arange(6.0)[None]
    torch.testing.assert_close(shift_bins(v, 0), v)
    torch.testing.assert_close(shift_bins(v, 2), torch.tensor([[2., 3, 4, 5, 5, 5]]))
    torch.testing.assert_close(shift_bins(v, -1), torch.tensor([[0., 0, 1, 2, 3, 4]]))
    torch.testing.assert_close(shift_bins(v, 0.5), torch.tensor([[.5, 1.5, 2.5, 3.5, 4.5, 5]]))


@pytest.mark.parametrize('deconv', [None, (16, 16)])
def test_bilinear_readout_reads_a_map_peak_at_its_place(deconv):
    """readout_init='bilinear': a keypoint map with one hot cell decodes to that cell's centre,
    and the loss's gradient on an empty map is most negative at the labelled column and row."""
    head = SimDRHead(32, K, (6, 8), loss=CE, decoder=ONE_HOT, readout_init='bilinear',
                     deconv_out_channels=deconv, deconv_kernel_sizes=deconv and (4, 4))
    head.init_weights()
    w, h = head.map_size
    stride = (INPUT[0] / w, INPUT[1] / h)
    col, row = w // 3, h - 2
    maps = torch.zeros(1, K, h, w)
    maps[..., row, col] = 10.0
    x = head.mlp_head_x(maps.flatten(2)).argmax(-1)
    y = head.mlp_head_y(maps.flatten(2)).argmax(-1)
    centres = [torch.as_tensor(head.decoder.bin_centres_px(a)).float() for a in (0, 1)]
    assert torch.allclose(centres[0][x], torch.tensor((col + 0.5) * stride[0] - 0.5), atol=0.5)
    assert torch.allclose(centres[1][y], torch.tensor((row + 0.5) * stride[1] - 0.5), atol=0.5)

    maps = torch.zeros(1, 1, h, w, requires_grad=True)
    logits = [lin(maps.flatten(2)) for lin in (head.mlp_head_x, head.mlp_head_y)]
    bx = int(torch.argmin((centres[0] - (col + 0.5) * stride[0] + 0.5).abs()))
    by = int(torch.argmin((centres[1] - (row + 0.5) * stride[1] + 0.5).abs()))
    loss = F.cross_entropy(logits[0][0], torch.tensor([bx])) + \
        F.cross_entropy(logits[1][0], torch.tensor([by]))
    loss.backward()
    descent = -maps.grad[0, 0]
    assert descent[row].argmax() == col and descent[:, col].argmax() == row
    assert descent[row, col] == descent.max()


def test_bilinear_readout_is_not_applied_over_loaded_weights():
    head = SimDRHead(32, K, (6, 8), loss=CE, decoder=ONE_HOT, readout_init='bilinear')
    head.init_weights()
    torch.nn.init.zeros_(head.mlp_head_x.weight)
    head.init_weights()  # a second call (e.g. after loading) changes nothing
    assert not head.mlp_head_x.weight.any()
    with pytest.raises(ValueError, match="SimDRHead: readout_init must be 'normal' or"):
        SimDRHead(32, K, (6, 8), loss=CE, decoder=ONE_HOT, readout_init='marginal')
