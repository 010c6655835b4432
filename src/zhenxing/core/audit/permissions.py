"""The audit log's permission name, defined by the audit app so that its pages and API need
not import accounts (accounts writes audit entries: accounts depends on audit, never the
reverse); the role table it names is the bottom of core, beside the errors."""

from __future__ import annotations

from zhenxing.core.accounts.roles import Role

#: Reading the audit log of a subtree.
AUDIT_VIEW = "audit.auditentry.view"

GRANTS: dict[str, set[str]] = {
    Role.CITY_ADMIN: {AUDIT_VIEW},
    # Auditors read the log of their subtree (and nothing else is written by them).
    Role.AUDITOR: {AUDIT_VIEW},
}
