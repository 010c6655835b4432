"""Party forms, one module per sub-domain."""
