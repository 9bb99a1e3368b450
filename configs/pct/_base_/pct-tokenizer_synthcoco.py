# The synthetic-data tokenizer, shared by stage 1 (which trains it) and stage 2 (which loads it
# frozen): PCT's M = 34 tokens, a smaller codebook and encoder than COCO's (2,000 training poses).
tokenizer = dict(
    type='PCTTokenizer',
    num_keypoints=17,
    num_tokens=34,
    codebook_size=512,
    token_dim=128,
    encoder=dict(num_blocks=4, hidden_dim=128, token_hidden=64, channel_hidden=256, drop=0.0),
    decoder=dict(num_blocks=1, hidden_dim=32, token_hidden=64, channel_hidden=64, drop=0.0),
    mask_ratio=0.2,
    ema_decay=0.9,
    dead_code_threshold=1e-2)
