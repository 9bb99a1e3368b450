"""MMPose's data set metainfo files found where MMPose installs them, without its search.

MMPose's data sets name their metainfo as ``configs/_base_/datasets/<name>.py``, a path relative
to an MMPose source checkout. Anywhere else MMPose's ``parse_pose_metainfo`` does not find it,
searches its installed ``.mim/configs`` folder for the file name and warns (``The metainfo config
file ... does not exist. A matched config file ... will be used instead``) each time a data set,
an evaluator or a model reads it. :func:`installed_metainfo` gives the installed file's path
directly; this package's data sets and models read their metainfo through it.
"""
import os.path as osp
from copy import deepcopy

from mmengine.utils import get_installed_path

PREFIX = 'configs/'


def installed_metainfo(metainfo: dict) -> dict:
    """``metainfo`` with a ``from_file`` of MMPose's relative form (``configs/...``) that does
    not exist from here made the path of that file in MMPose's installed configs, when it is
    there; anything else as it is."""
    path = metainfo.get('from_file') if isinstance(metainfo, dict) else None
    if not path or osp.isfile(path) or not path.startswith(PREFIX):
        return metainfo
    installed = osp.join(get_installed_path('mmpose'), '.mim', path)
    return dict(deepcopy(metainfo), from_file=installed) if osp.isfile(installed) else metainfo
