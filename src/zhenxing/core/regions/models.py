"""The jurisdiction tree every record hangs from: county-level city → township → village or
community → villager group, each with its official statistical division code."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet
from zhenxing.core.text import search_text


class RegionKind(models.TextChoices):
    COUNTY = "county", _("County-level city")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")
    GROUP = "group", _("Villager group")


#: Where households live and the two committees sit: villages, and communities (社区) with their
#: residents' committees, which every report counts alongside villages.
VILLAGE_LEVEL = (RegionKind.VILLAGE, RegionKind.COMMUNITY)

#: Which kinds may sit directly under which (None: the root of a deployment).
ALLOWED_PARENT_KINDS: dict[str, set[str | None]] = {
    RegionKind.COUNTY: {None},
    RegionKind.TOWNSHIP: {RegionKind.COUNTY},
    RegionKind.VILLAGE: {RegionKind.TOWNSHIP},
    RegionKind.COMMUNITY: {RegionKind.TOWNSHIP},
    RegionKind.GROUP: {RegionKind.VILLAGE, RegionKind.COMMUNITY},
}

#: Code length per kind; the serial ranges are the statistics bureau's rule (see data/SOURCE.md).
CODE_LENGTH: dict[str, int] = {
    RegionKind.COUNTY: 6,
    RegionKind.TOWNSHIP: 9,
    RegionKind.VILLAGE: 12,
    RegionKind.COMMUNITY: 12,
    RegionKind.GROUP: 15,
}
VILLAGE_SERIALS = range(200, 400)
COMMUNITY_SERIALS = range(1, 200)
GROUP_SERIALS = range(1, 1000)

_DIGITS = re.compile(r"^[0-9]+$")
NAME_MAX_LENGTH = 64


def region_code_errors(*, kind: str, code: str, parent: Region | None) -> dict[str, list[str]]:
    """Every rule a region's code, kind and parent must satisfy, as messages by field."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if kind not in CODE_LENGTH:
        add("kind", str(_("Unknown region kind.")))
        return errors
    allowed = ALLOWED_PARENT_KINDS[kind]
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in allowed:
        if parent is None:
            add("parent", str(_("This kind of region needs a parent.")))
        else:
            add(
                "parent",
                str(
                    _(
                        "A region of kind “%(kind)s” cannot be placed under "
                        "one of kind “%(parent_kind)s”."
                    )
                    % {
                        "kind": RegionKind(kind).label,
                        "parent_kind": RegionKind(parent.kind).label,
                    }
                ),
            )
    length = CODE_LENGTH[kind]
    if not _DIGITS.match(code or "") or len(code) != length:
        add(
            "code",
            str(
                _("Codes of kind “%(kind)s” have exactly %(length)d digits.")
                % {"kind": RegionKind(kind).label, "length": length}
            ),
        )
        return errors
    if parent is not None and parent_kind in allowed and not code.startswith(parent.code):
        add(
            "code",
            str(_("The code must begin with the parent's code %(code)s.") % {"code": parent.code}),
        )
    serial = int(code[-3:])
    if kind == RegionKind.VILLAGE and serial not in VILLAGE_SERIALS:
        add("code", str(_("A village code ends in 200 to 399.")))
    if kind == RegionKind.COMMUNITY and serial not in COMMUNITY_SERIALS:
        add("code", str(_("A community code ends in 001 to 199.")))
    if kind == RegionKind.GROUP and serial not in GROUP_SERIALS:
        add("code", str(_("A villager group code ends in 001 to 999.")))
    return errors


class Region(models.Model):
    """A node of the jurisdiction tree (行政区划)."""

    # Regions are scoped by their own code: a user sees their region and everything under it.
    scope_region_field = ""
    scope_excludes_own_region = True

    code = models.CharField(_("division code"), max_length=15, unique=True)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    kind = models.CharField(_("kind"), max_length=16, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Simplified name + pinyin initials + full pinyin, lowercase (see zhenxing.core.text).
    # A TextField: pinyin of a 64-character name is several times longer than the name.
    search_text = models.TextField(editable=False)
    # The village's (or township's) centre, WGS 84, optional: maps centre on it, pairing reads
    # travel distances from it.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "code"], name="region_kind_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    #: Fields users may edit; also the fields the audit log compares.
    AUDITED_FIELDS = ("code", "name", "kind", "parent")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_text(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = region_code_errors(kind=self.kind, code=self.code, parent=self.parent)
        if errors:
            raise ValidationError(errors)

    def ancestors(self) -> list[Region]:
        """From the root down to the parent, in one query: ancestors' codes are prefixes."""
        prefixes = [self.code[:n] for n in (2, 4, 6, 9, 12) if n < len(self.code)]
        return list(Region.objects.filter(code__in=prefixes).order_by("code"))
