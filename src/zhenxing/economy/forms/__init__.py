"""Forms by sub-domain: ``books``, ``distribution``, ``support``."""
