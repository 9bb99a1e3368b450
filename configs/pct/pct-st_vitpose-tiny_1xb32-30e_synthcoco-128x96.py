# pct_vitpose-tiny_1xb32-30e_synthcoco-128x96.py with the straight-through lookup (the PCT
# paper's) instead of the soft one: the decoder gets the codebook entries of the top logits,
# gradients flow as for the soft lookup. Trained the same way (backbone, tokenizer, then this).
_base_ = ['./pct_vitpose-tiny_1xb32-30e_synthcoco-128x96.py']

model = dict(head=dict(lookup='straight_through'))
