"""How long a free text may be: the one place every form, model and service takes it from.

A text without a limit let a 45 MB narrative make the audit page 287 MB. The limits are generous for what
people write (a narrative of several pages; a reason of a long paragraph) and small for a page to show.
"""

from __future__ import annotations

NARRATIVE_MAX_CHARS = 10_000
"""What was done, what was found, what is to be rectified: several pages of text."""

REASON_MAX_CHARS = 2_000
"""Why a form is returned, reopened, closed out; why a supervision is opened or closed: a long paragraph."""
