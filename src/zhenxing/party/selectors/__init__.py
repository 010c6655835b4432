"""Party selectors, one module per sub-domain."""
