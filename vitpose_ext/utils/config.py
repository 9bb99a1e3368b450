"""Small helpers for editing MMEngine configs from tools and tests."""
import os.path as osp


def set_data_root(cfg, data_root):
    """Point every dataloader and COCO evaluator of ``cfg`` at ``data_root`` (in place).

    Dataloaders get ``dataset.data_root``; an evaluator's ``ann_file`` under the old root is moved
    under the new one. The old root is the training set's.
    """
    old = cfg.train_dataloader.dataset.data_root
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(key) is not None:
            cfg[key].dataset.data_root = data_root
    for key in ('val_evaluator', 'test_evaluator'):
        evaluator = cfg.get(key)
        if evaluator is None:
            continue
        for metric in evaluator if isinstance(evaluator, list) else [evaluator]:
            ann = metric.get('ann_file')
            if ann and osp.normpath(ann).startswith(osp.normpath(old)):
                metric.ann_file = osp.join(data_root, osp.relpath(ann, old))
    return cfg
