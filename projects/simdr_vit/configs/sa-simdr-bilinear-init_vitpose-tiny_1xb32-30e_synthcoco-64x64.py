# SimDR* (sa-simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py: Gaussian labels, sigma 2.25 bins,
# KL) with the readout's linear layers started as the maps' bilinear marginals
# (SimDRHead(readout_init='bilinear')), as simdr-bilinear-init_vitpose-tiny_1xb32-30e_synthcoco-64x64.py.
_base_ = ['./sa-simdr_vitpose-tiny_1xb32-30e_synthcoco-64x64.py']

model = dict(head=dict(readout_init='bilinear'))
