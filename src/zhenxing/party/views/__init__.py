"""Party views, one module per sub-domain."""
