"""Segmentation, the late-payment risk model and the prioritised call list."""
