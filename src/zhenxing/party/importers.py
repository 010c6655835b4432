"""Members, cadres and attendance from Excel (filled in below)."""


def register() -> None:
    """Register the party importers with the import framework."""
