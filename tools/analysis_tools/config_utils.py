"""Small helpers for editing MMEngine configs from tools, studies and tests: point a config at a
data folder (``set_data_root``), shrink it to a short run (``shrink_for_smoke_run``)."""
import os.path as osp
from typing import Sequence, Union

from mmengine.config import Config


def _datasets(dataset_cfg):
    """The data sets a dataloader reads: a CombinedDataset's sub-datasets, or the one."""
    return dataset_cfg.datasets if 'datasets' in dataset_cfg else [dataset_cfg]


def set_data_root(cfg: Config, data_root: Union[str, Sequence[str]]) -> Config:
    """Point every dataloader and COCO evaluator of ``cfg`` at ``data_root`` (in place).

    Dataloaders get ``dataset.data_root``; an evaluator's ``ann_file`` under the old root is moved
    under the new one. The old root is the training set's. For a ``CombinedDataset`` pass one root
    per sub-dataset, in order; metrics (also a ``MultiDatasetEvaluator``'s) move with the root
    their ``ann_file`` lies under.
    """
    old = [d.data_root for d in _datasets(cfg.train_dataloader.dataset)]
    new = list(data_root) if isinstance(data_root, (list, tuple)) else [data_root]
    if len(new) != len(old):
        raise ValueError(f'set_data_root: {len(new)} roots for {len(old)} data sets')
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(key) is not None:
            for dataset, root in zip(_datasets(cfg[key].dataset), new):
                dataset.data_root = root
    for key in ('val_evaluator', 'test_evaluator'):
        evaluator = cfg.get(key)
        if evaluator is None:
            continue
        if isinstance(evaluator, dict) and 'metrics' in evaluator:
            evaluator = evaluator.metrics
        for metric in evaluator if isinstance(evaluator, list) else [evaluator]:
            ann = metric.get('ann_file')
            for old_root, new_root in zip(old, new):
                if ann and osp.normpath(ann).startswith(osp.normpath(old_root)):
                    metric.ann_file = osp.join(new_root, osp.relpath(ann, old_root))
                    break
    return cfg


def shrink_for_smoke_run(cfg: Config, data_root: Union[str, Sequence[str]], work_dir: str,
                         max_epochs: int = 1, batch_size: int = 8,
                         num_workers: int = 0) -> Config:
    """``cfg`` (in place) made a short run for smoke tests and self-checks: data from
    ``data_root`` (see :func:`set_data_root`), ``max_epochs`` epochs validated after each, small
    batches (also a multi-source sampler's), a checkpoint and a log line every epoch / iteration,
    a constant learning rate (a warm-up of hundreds of iterations would keep it near 0), seed 0."""
    set_data_root(cfg, data_root)
    cfg.work_dir = str(work_dir)
    cfg.train_cfg.max_epochs = max_epochs
    cfg.train_cfg.val_interval = 1
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg.get(key)
        if loader is None:  # e.g. self-supervised pre-training: no validation
            continue
        loader.batch_size = batch_size
        loader.num_workers = num_workers
        loader.persistent_workers = False
        if loader.get('sampler', {}).get('batch_size'):
            loader.sampler.batch_size = batch_size
    cfg.default_hooks.checkpoint.interval = 1
    cfg.default_hooks.logger.interval = 1
    cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=True)]
    cfg.randomness = dict(seed=0)
    return cfg
