# PCT's pose tokenizer with the reference hyper-parameters (Gengzigang/PCT, configs/pct_*):
# M = 34 tokens, V = 2048 codebook entries of dimension 512, EMA decay 0.9; encoder 4 Mixer
# blocks 512 wide (token MLP 64, channel MLP 512); decoder 1 block 32 wide (64, 64); 20% of the
# visible joints masked in training. Shared by stage 1 (trains it) and stage 2 (loads it frozen).
tokenizer = dict(
    type='PCTTokenizer',
    num_keypoints=17,
    num_tokens=34,
    codebook_size=2048,
    token_dim=512,
    encoder=dict(num_blocks=4, hidden_dim=512, token_hidden=64, channel_hidden=512, drop=0.0),
    decoder=dict(num_blocks=1, hidden_dim=32, token_hidden=64, channel_hidden=64, drop=0.0),
    mask_ratio=0.2,
    ema_decay=0.9,
    dead_code_threshold=1e-2)
