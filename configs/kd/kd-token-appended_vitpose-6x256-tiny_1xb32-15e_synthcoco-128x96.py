# Knowledge-token distillation ablation: the paper's literal token distillation. The frozen
# knowledge token is appended (through the trained projection) and the student trains on the
# ground truth alone: no distillation loss, so the teacher is never run (only its token is read).
_base_ = ['./kd-token-output_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py']

model = dict(loss_output=None, loss_token=None)
