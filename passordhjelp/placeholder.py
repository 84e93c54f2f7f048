"""The text that stands in for a removed secret, importable without loading the detectors."""

PLACEHOLDER = "[secret removed]"
