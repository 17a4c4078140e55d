"""Named errors. The CLI turns each into a one-line message and a non-zero exit, never a traceback."""
from __future__ import annotations


class GazetteError(Exception):
    """Base class of every error gazette_nlp raises on purpose."""

    exit_code = 2


class InputError(GazetteError):
    """The input cannot be read as a report text."""


class EmptyInputError(InputError):
    """The file is empty or holds only whitespace."""


class BinaryInputError(InputError):
    """The file holds binary data (NUL bytes, control characters), not text."""


class DecodeError(InputError):
    """The bytes are not valid text in any supported encoding."""


class InputTooLargeError(InputError):
    """The text is longer than the size limit (`--max-chars`); a report is some 5,000-50,000 characters."""


class MissingDependencyError(InputError):
    """The input needs an optional extra that is not installed (PDF, HTML or OCR reading)."""


class PdfError(InputError):
    """The PDF cannot be read."""


class EncryptedPdfError(PdfError):
    """The PDF is encrypted with a password."""


class DamagedPdfError(PdfError):
    """The PDF is damaged or not a PDF after all."""


class OcrError(InputError):
    """A scanned page or image could not be read by OCR."""


class NotAReportError(InputError):
    """The text decodes but is not a government information-disclosure annual report."""


class ModelError(GazetteError):
    """A trained model is missing, incomplete or of the wrong version."""

    exit_code = 3


class DataError(GazetteError):
    """Annotated or training data is malformed."""


class NoMatchingRecordsError(DataError):
    """`evaluate --pred`: no prediction record belongs to any gold report (sources that do not match)."""


class OutputError(GazetteError):
    """An output path that cannot be written (missing directory, unknown format), found before any work."""
