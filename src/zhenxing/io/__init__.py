"""Import and export framework: readers, writers, column specs (grows with the registry issue)."""
