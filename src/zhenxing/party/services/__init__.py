"""Party services, one module per sub-domain."""
