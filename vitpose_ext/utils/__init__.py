from .config import set_data_root, shrink_for_smoke_run
from .fake_data import fake_pose_batch

__all__ = ['fake_pose_batch', 'set_data_root', 'shrink_for_smoke_run']
