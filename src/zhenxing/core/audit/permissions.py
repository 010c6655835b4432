"""The audit log's permission name, defined by the audit app so that its pages and API need
not import accounts (accounts writes audit entries: accounts depends on audit, never the
reverse). Which roles hold it is declared with the other core grants in
``zhenxing.core.accounts.permissions``."""

from __future__ import annotations

#: Reading the audit log of a subtree.
AUDIT_VIEW = "audit.auditentry.view"

GRANTS: dict[str, set[str]] = {}
