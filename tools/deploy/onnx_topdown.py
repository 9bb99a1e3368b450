"""Top-down pose estimation with an ONNX file written by tools/deploy/export_onnx.py.

Needs NumPy, OpenCV and onnxruntime only (no PyTorch, no MMPose): copy this one file next to
the model. The file's metadata says how crops are cut (the config's bounding-box padding, UDP or
not) and how its outputs are decoded, so results match MMPose's ``inference_topdown`` on the
same boxes.

    python onnx_topdown.py MODEL.onnx IMAGE --bbox X1 Y1 X2 Y2 [--bbox ...] [--out drawn.jpg]

    from onnx_topdown import TopdownONNX
    model = TopdownONNX('model.onnx')
    keypoints, scores = model(image_bgr, boxes)   # (N, K, 2) image pixels, (N, K)
"""
import argparse
import json

import cv2
import numpy as np
import onnxruntime as ort


def box_center_scale(box, padding, aspect_ratio):
    """Center and (w, h) of the crop around box (x1, y1, x2, y2): the box padded by ``padding``
    and grown to the model's aspect ratio (w / h)."""
    x1, y1, x2, y2 = [float(v) for v in box[:4]]
    center = np.array([(x1 + x2) / 2, (y1 + y2) / 2])
    w, h = (x2 - x1) * padding, (y2 - y1) * padding
    if w > h * aspect_ratio:
        h = w / aspect_ratio
    else:
        w = h * aspect_ratio
    return center, np.array([w, h])


def crop_matrix(center, scale, input_size, udp):
    """2x3 affine matrix from the image to the crop. UDP maps the crop's edge pixels' centres
    to the scale's ends (``(size - 1) / scale``); without UDP the crop's edges (``size / scale``).
    """
    w, h = input_size
    if udp:
        sx, sy = (w - 1) / scale[0], (h - 1) / scale[1]
        return np.array([[sx, 0, sx * (0.5 * scale[0] - center[0])],
                         [0, sy, sy * (0.5 * scale[1] - center[1])]])
    sx, sy = w / scale[0], h / scale[1]
    return np.array([[sx, 0, 0.5 * w - sx * center[0]], [0, sy, 0.5 * h - sy * center[1]]])


def dark_udp(heatmaps, blur_kernel_size):
    """Keypoints (K, 2) in heatmap pixels and scores (K,) from heatmaps (K, h, w): the maximum,
    refined by one Newton step on the log of the blurred heatmap (DARK, as UDP decodes it)."""
    K, h, w = heatmaps.shape
    flat = heatmaps.reshape(K, -1)
    scores = flat.max(1)
    y, x = np.divmod(flat.argmax(1), w)
    keypoints = np.stack([x, y], -1).astype(np.float32)
    # float32 throughout, as MMPose decodes: where the blurred log-heatmap is flat, the Newton
    # step is ill-conditioned and float64 would land elsewhere than MMPose does
    blurred = np.empty_like(heatmaps, dtype=np.float32)
    border = (blur_kernel_size - 1) // 2
    for k in range(K):
        padded = np.zeros((h + 2 * border, w + 2 * border), np.float32)
        padded[border:border + h, border:border + w] = heatmaps[k]
        padded = cv2.GaussianBlur(padded, (blur_kernel_size, blur_kernel_size), 0)
        blurred[k] = padded[border:border + h, border:border + w]
        peak = blurred[k].max()
        if peak != 0:  # the maximum is kept (as MMPose does, whatever the signs)
            blurred[k] *= heatmaps[k].max() / peak
    logs = np.pad(np.log(np.clip(blurred, 1e-3, 50.0)), ((0, 0), (1, 1), (1, 1)), mode='edge')
    for k in range(K):
        cx, cy = int(x[k]) + 1, int(y[k]) + 1
        p = logs[k]
        dx = 0.5 * (p[cy, cx + 1] - p[cy, cx - 1])
        dy = 0.5 * (p[cy + 1, cx] - p[cy - 1, cx])
        dxx = p[cy, cx + 1] - 2 * p[cy, cx] + p[cy, cx - 1]
        dyy = p[cy + 1, cx] - 2 * p[cy, cx] + p[cy - 1, cx]
        dxy = 0.5 * (p[cy + 1, cx + 1] - p[cy, cx + 1] - p[cy + 1, cx] + 2 * p[cy, cx]
                     - p[cy, cx - 1] - p[cy - 1, cx] + p[cy - 1, cx - 1])
        hessian = np.array([[dxx, dxy], [dxy, dyy]], np.float32) + \
            np.finfo(np.float32).eps * np.eye(2)
        keypoints[k] -= np.linalg.inv(hessian) @ np.array([dx, dy], np.float32)
    return keypoints, scores


class TopdownONNX:
    """Keypoints of the people in given boxes, with an exported model."""

    def __init__(self, path, providers=('CPUExecutionProvider', )):
        self.session = ort.InferenceSession(path, providers=list(providers))
        meta = self.session.get_modelmeta().custom_metadata_map.get('vitpose_ext')
        if meta is None:
            raise ValueError(f'{path} has no vitpose_ext metadata: export it with '
                             'tools/deploy/export_onnx.py')
        self.meta = json.loads(meta)
        if self.meta['kind'] == 'simcc':
            raise ValueError(f'{path} returns SimDR logits: export it with --output keypoints '
                             'to decode in the graph')
        self.input_size = tuple(self.meta['input_size'])  # (w, h)

    def crops(self, image, boxes):
        """(N, 3, h, w) float32 crops and their (center, scale)."""
        w, h = self.input_size
        batch, frames = [], []
        for box in boxes:
            center, scale = box_center_scale(box, self.meta['bbox_padding'], w / h)
            matrix = crop_matrix(center, scale, self.input_size, self.meta['use_udp'])
            crop = cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR)
            batch.append(crop.transpose(2, 0, 1))
            frames.append((center, scale))
        return np.stack(batch).astype(np.float32), frames

    def __call__(self, image, boxes):
        """image: (H, W, 3) BGR uint8 (a grayscale (H, W) image is converted); boxes: (N, 4)
        x1, y1, x2, y2. Returns keypoints (N, K, 2) in image pixels and scores (N, K)."""
        if image.ndim == 2:
            image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
        boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
        if not len(boxes):
            k = self.meta['num_keypoints']
            return np.zeros((0, k, 2), np.float32), np.zeros((0, k), np.float32)
        return self.predict_crops(*self.crops(image, boxes))

    def predict_crops(self, batch, frames):
        """Keypoints (N, K, 2) in image pixels and scores (N, K) of (N, 3, h, w) crops cut at
        ``frames`` [(center, scale)] (as :meth:`crops` returns them)."""
        outputs = self.session.run(None, {'input': batch})
        if self.meta['kind'] == 'heatmaps':
            keypoints, scores = self.decode_heatmaps(outputs[0])
        else:
            keypoints, scores = outputs[0].astype(np.float64), outputs[1]
        size = np.array(self.input_size, dtype=np.float64)
        for n, (center, scale) in enumerate(frames):  # crop pixels -> image pixels
            keypoints[n] = keypoints[n] / size * scale + center - 0.5 * scale
        return keypoints.astype(np.float32), scores.astype(np.float32)

    def decode_heatmaps(self, heatmaps):
        """(N, K, h, w) -> keypoints (N, K, 2) in crop pixels, scores (N, K)."""
        hw, hh = self.meta['heatmap_size']
        results = []
        for maps in heatmaps:
            if self.meta['decode'] == 'udp_dark':
                keypoints, scores = dark_udp(maps, self.meta['blur_kernel_size'])
                keypoints = keypoints / [hw - 1, hh - 1] * np.array(self.input_size)
            else:
                flat = maps.reshape(len(maps), -1)
                y, x = np.divmod(flat.argmax(1), hw)
                keypoints = np.stack([x, y], -1) * (np.array(self.input_size) / [hw, hh])
                scores = flat.max(1)
            results.append((keypoints, scores))
        return np.stack([k for k, _ in results]), np.stack([s for _, s in results])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('model')
    parser.add_argument('image')
    parser.add_argument('--bbox', type=float, nargs=4, action='append',
                        help='x1 y1 x2 y2 of a person (repeatable; default: the whole image)')
    parser.add_argument('--out', help='write the image with the keypoints drawn')
    parser.add_argument('--kpt-thr', type=float, default=0.3)
    args = parser.parse_args()
    image = cv2.imread(args.image)
    if image is None:
        raise SystemExit(f'onnx_topdown.py: cannot read {args.image}')
    boxes = args.bbox or [[0, 0, image.shape[1], image.shape[0]]]
    keypoints, scores = TopdownONNX(args.model)(image, boxes)
    print(json.dumps([dict(keypoints=k.round(2).tolist(), scores=s.round(4).tolist())
                      for k, s in zip(keypoints, scores)]))
    if args.out:
        for person, person_scores in zip(keypoints, scores):
            for (x, y), score in zip(person, person_scores):
                if score >= args.kpt_thr:
                    cv2.circle(image, (int(round(x)), int(round(y))), 3, (0, 255, 0), -1)
        cv2.imwrite(args.out, image)


if __name__ == '__main__':
    main()
