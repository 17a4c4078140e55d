"""Training data for the theme classifier (see `data.py`) — built from gold, pool hand labels, extra
hand-written paragraphs, synthetic reports and weak labels (`training/weak_labels.py`)."""
