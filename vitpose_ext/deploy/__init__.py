"""Deployment: ONNX export (``onnx_export``); ``tools/deploy/onnx_topdown.py`` runs the files."""
