# Deployment form of a distilled student (kd-token-distill / kd-token-output configs): the plain
# tiny student (td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py) with one extra token, which
# tools/convert_checkpoint.py --format knowledge-token fills with the student's projected
# knowledge token. Test / infer with it; no teacher, no distillation code involved.
_base_ = ['./td-hm_vitpose-tiny_1xb32-15e_synthcoco-128x96.py']

model = dict(backbone=dict(num_extra_tokens=1))
