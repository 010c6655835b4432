"""Pure checks (no queries, no writes) that services and importers both call: ``values``,
``books``, ``distribution``, ``entities``, ``support``."""
