"""Every error claimscope raises on purpose.

::

    ClaimscopeError                  base: the CLI turns any of these into one line "Error: ..."
    ├── InputError                   the input cannot be read as an article
    │   ├── EmptyInputError          nothing to analyse (empty file, whitespace, no main text)
    │   ├── BinaryInputError         the bytes are not text (NUL bytes, an image, an archive)
    │   ├── EncodingError            the bytes cannot be decoded in any candidate encoding
    │   └── BatchLineError           one line of a JSON Lines batch is unusable (the batch goes on)
    ├── PipelineError                the stages cannot be assembled or run
    │   ├── MissingLayerError        a stage requires a layer no earlier stage provides
    │   ├── ModelNotInstalledError   the spaCy pipeline package is missing
    │   ├── EngineError              a run's engine is missing (Ray not installed) or lost a worker
    │   └── ModelFileError           a learned model directory cannot be used (missing, corrupt, no torch)
    └── StoreError                   the ledger store cannot be opened, migrated or written
        └── NotFoundError            no stored article has that id

Messages say which item, what was expected, what was found, and how to fix it.
"""

from __future__ import annotations


class ClaimscopeError(Exception):
    """Base of every deliberate claimscope error."""


class InputError(ClaimscopeError):
    """The input cannot be read as an article."""


class EmptyInputError(InputError):
    """There is no text to analyse."""


class BinaryInputError(InputError):
    """The input is binary data, not text."""


class EncodingError(InputError):
    """The input's bytes decode in no candidate encoding."""


class BatchLineError(InputError):
    """One line of a JSON Lines batch cannot be used; the rest of the batch is processed."""

    def __init__(self, source: str, line: int, message: str) -> None:
        super().__init__(f"{source}:{line}: {message}")
        self.source = source
        self.line = line


class PipelineError(ClaimscopeError):
    """The stages cannot be assembled or run."""


class MissingLayerError(PipelineError):
    """A stage requires a layer that no earlier stage provides."""


class EngineError(PipelineError):
    """The engine of a ``claimscope run`` cannot start (an optional extra is missing) or lost a worker."""


class ModelNotInstalledError(PipelineError):
    """The spaCy English pipeline package is not installed."""


class ModelFileError(PipelineError):
    """A learned model directory (``--attribution-model``) is missing, unreadable or of another version."""


class StoreError(ClaimscopeError):
    """The ledger store cannot be opened, migrated or written."""


class NotFoundError(StoreError):
    """No stored article has the requested id."""
