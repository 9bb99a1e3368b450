"""Environment report: ``python -m vitpose_ext.env [--check]``.

Prints the versions of the stack and whether the parts MMPose needs are usable (mmcv's compiled
ops, mmdet, CUDA), with what to do when one is not. With ``--check`` it exits non-zero when a part
that training and testing need is missing (CUDA is optional).
"""
import argparse
import importlib
import importlib.metadata
import platform
import sys

SETUP_HINT = 'run `bash tools/setup_env.sh` (see README)'


def _probe(module, attr='__version__'):
    """Import ``module``; return (ok, version-or-error)."""
    try:
        mod = importlib.import_module(module)
    except Exception as exc:  # report every failure, whatever its kind
        return False, f'{type(exc).__name__}: {exc}'.splitlines()[0]
    if hasattr(mod, attr):
        return True, str(getattr(mod, attr))
    try:
        return True, importlib.metadata.version(module)
    except importlib.metadata.PackageNotFoundError:
        return True, '?'



def _check_mmcv_ops():
    try:
        import torch
        from mmcv.ops import nms
        boxes = torch.tensor([[0., 0., 10., 10.], [1., 1., 10., 10.]])
        nms(boxes, torch.tensor([0.9, 0.8]), 0.5)
    except Exception as exc:
        return False, f'{type(exc).__name__}: {exc}'.splitlines()[0]
    return True, 'nms runs'


def _check_cuda():
    try:
        import torch
    except Exception as exc:
        return False, f'{type(exc).__name__}: {exc}'
    if not torch.cuda.is_available():
        return False, f'not available (torch {torch.__version__} built for CUDA {torch.version.cuda})'
    return True, f'{torch.cuda.get_device_name(0)}, CUDA {torch.version.cuda}'


def collect():
    """Return a list of (name, ok, detail, required, hint) rows."""
    rows = [('python', True, platform.python_version(), True, '')]
    for name, hint in [
        ('numpy', SETUP_HINT),
        ('torch', SETUP_HINT),
        ('torchvision', 'install the torchvision release that matches your torch'),
        ('mmengine', SETUP_HINT),
        ('mmcv', SETUP_HINT),
        ('mmdet', 'mmpose.models imports mmdet: ' + SETUP_HINT),
        ('mmpretrain', SETUP_HINT),
        ('mmpose', SETUP_HINT),
        ('xtcocotools', 'the PyPI wheel is built for NumPy 1: build it from source (setup_env.sh does)'),
        ('pycocotools', SETUP_HINT),
    ]:
        ok, detail = _probe(name)
        rows.append((name, ok, detail, True, hint))
    ok, detail = _check_mmcv_ops()
    rows.append(('mmcv ops', ok, detail, True,
                 'mmcv was built without ops: rebuild with MMCV_WITH_OPS=1 and '
                 '--no-build-isolation (setup_env.sh does)'))
    ok, detail = _probe('mmpose.models', attr='__name__')
    rows.append(('mmpose.models', ok, detail, True, 'needs mmdet and mmcv ops: ' + SETUP_HINT))
    ok, detail = _probe('vitpose_ext')
    rows.append(('vitpose_ext', ok, detail, True, 'pip install -e . in this repository'))
    ok, detail = _check_cuda()
    rows.append(('CUDA', ok, detail, False,
                 'optional: CPU works; for GPUs install a CUDA build of torch and '
                 'rerun setup with --system-site-packages'))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true',
                        help='exit with status 1 if a required part is unusable')
    args = parser.parse_args(argv)
    rows = collect()
    width = max(len(r[0]) for r in rows)
    failed = False
    for name, ok, detail, required, hint in rows:
        mark = 'ok' if ok else ('MISSING' if required else 'no')
        line = f'{name:<{width}}  {mark:<7}  {detail}'
        if not ok:
            line += f'\n{"":<{width}}           -> {hint}'
            failed |= required
        print(line)
    if args.check and failed:
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
