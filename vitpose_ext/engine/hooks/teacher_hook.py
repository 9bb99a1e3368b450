"""Load the frozen teacher of a distillation model before training."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from mmengine.runner.checkpoint import CheckpointLoader

from ...utils.checkpoint import unwrap
from ...registry import HOOKS


@HOOKS.register_module()
class LoadTeacherHook(Hook):
    """Load a teacher checkpoint into the model (its ``load_teacher(state_dict)``) before training.

    When: ``before_train``. ``Runner.train()`` runs ``before_run`` hooks, then the model's
    ``init_weights()`` (which would re-initialise a teacher loaded earlier), then ``load_from`` /
    ``resume``, then the train loop, whose first act is ``before_train``; so the teacher is loaded
    last and a resumed or ``load_from`` checkpoint without the teacher leaves it intact. The model
    freezes what it loads (no gradients, eval mode). Test and validation never need this hook.

    Used by both stages of knowledge-token distillation:

    * stage 1, ``KnowledgeTokenPoseEstimator``: ``checkpoint`` is the trained teacher; the
      knowledge token being learned is left alone;
    * stage 2, ``TokenDistillPoseEstimator``: ``checkpoint`` is the stage-1 checkpoint (the
      teacher's weights and its ``knowledge_token``).

    Args:
        checkpoint (str): path or URL of the checkpoint (any scheme MMEngine loads).
        map_location (str): where the checkpoint's tensors are loaded before being copied into
            the model. Default 'cpu'.
    """

    priority = 'VERY_HIGH'

    def __init__(self, checkpoint: str, map_location: str = 'cpu') -> None:
        self.checkpoint = checkpoint
        self.map_location = map_location

    def before_train(self, runner: Runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        if not callable(getattr(model, 'load_teacher', None)):
            raise TypeError(f'{type(self).__name__}: {type(model).__name__} has no '
                            'load_teacher(state_dict); use a distillation model such as '
                            'KnowledgeTokenPoseEstimator or TokenDistillPoseEstimator')
        state_dict = unwrap(CheckpointLoader.load_checkpoint(self.checkpoint,
                                                             map_location=self.map_location))
        model.load_teacher(state_dict)
        runner.logger.info(f'{type(self).__name__}: loaded the frozen teacher from '
                           f'{self.checkpoint}')
