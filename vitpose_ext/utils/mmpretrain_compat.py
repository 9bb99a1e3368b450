"""Let ``import mmpretrain.models`` work where transformers >= 5 is installed.

mmpretrain 1.2.0 builds its multimodal models (BLIP, ...) on transformers classes when
transformers >= 4.28 is installed; transformers 5 removed what they subclass, so ``import
mmpretrain.models`` (and with it MMPose's stock ViTPose configs, whose backbone is
``mmpretrain.VisionTransformer``) fails with ``TypeError: NoneType takes no arguments``.
mmpretrain already has a mode for a missing transformers: the multimodal models are registered
as placeholders that raise when built. :func:`install` makes mmpretrain take that mode when the
installed transformers is 5 or newer, by setting ``mmpretrain.utils.dependency.WITH_MULTIMODAL``
to False right after that module is loaded. Nothing else changes, and nothing at all when
transformers < 5 (or none) is installed or mmpretrain was imported before.
"""
import importlib.abc
import importlib.metadata
import importlib.util
import sys

from mmengine.logging import print_log

_MODULE = 'mmpretrain.utils.dependency'


def transformers_breaks_mmpretrain() -> bool:
    """True when the installed transformers (if any) is 5 or newer."""
    try:
        version = importlib.metadata.version('transformers')
    except importlib.metadata.PackageNotFoundError:
        return False
    return int(version.split('.')[0]) >= 5


class _NoMultimodalLoader(importlib.abc.Loader):

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        self.loader.exec_module(module)
        module.WITH_MULTIMODAL = False
        print_log('vitpose_ext: transformers >= 5 is installed, which mmpretrain 1.2.0 cannot use; '
                  "mmpretrain's multimodal models (BLIP, ...) are unavailable, the rest works",
                  logger='current')


class _Finder(importlib.abc.MetaPathFinder):

    def find_spec(self, name, path, target=None):
        if name != _MODULE:
            return None
        sys.meta_path.remove(self)  # find the real module once, then step aside
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _NoMultimodalLoader(spec.loader)
        return spec


def install() -> None:
    """Install the import hook (idempotent; a no-op unless it is needed and still possible)."""
    if (_MODULE in sys.modules or not transformers_breaks_mmpretrain()
            or any(isinstance(f, _Finder) for f in sys.meta_path)):
        return
    sys.meta_path.insert(0, _Finder())
