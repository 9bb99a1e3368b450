# Knowledge-token distillation ablation: token distillation only (the frozen knowledge token
# appended, the student's processed token supervised by the teacher's); no output distillation.
_base_ = ['./kd-token-output_vitpose-6x256-tiny_1xb32-15e_synthcoco-128x96.py']

model = dict(loss_output=None)
