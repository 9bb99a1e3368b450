# Knowledge-token distillation ablation: the paper's literal token distillation. The frozen
# knowledge token is appended (through the trained projection) and the student trains on the
# ground truth alone: no distillation loss, so the teacher is never run (only its token is read).
_base_ = ['./kd-tod_vitpose-6x320-tiny_1xb32-30e_synthcoco-64x64.py']

model = dict(loss_output=None, loss_token=None)
