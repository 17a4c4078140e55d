"""Readers turn an input (bytes, a path) into the text lines of a `Report`."""
from .text import decode_bytes, read_path, read_text, report_from_text

__all__ = ["decode_bytes", "read_path", "read_text", "report_from_text"]
