"""Yearly policy values as data (DESIGN convention 8): targets, intervals, thresholds.

Each app declares the values it reads in its ``policy.py`` (``SETTINGS``, a list of
:class:`~zhenxing.core.policy.registry.Setting`, with defaults and their sources); a value in
force for a year is the newest ``PolicyValue`` row whose ``effective_from`` is not after it, else
the declared default. Read with :mod:`.selectors`, write with :mod:`.services` (audited).
"""
