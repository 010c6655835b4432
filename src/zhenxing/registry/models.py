"""The household and resident registry (户籍与人口台账).

Every household hangs from a village (or community) and, optionally, a villager group; every
person belongs to one household at a time, with the history of moves, splits, merges, deaths
and migrations kept in ``HouseholdMembership`` rather than overwritten. ID numbers and phones
are stored encrypted, with a keyed hash for lookup and a mask for display (core.sensitive).
Each big table carries the county code (DESIGN: distribution key for Citus).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet
from zhenxing.core.text import search_text
from zhenxing.registry.choices import (
    Education,
    Health,
    MembershipReason,
    MonitoringStatus,
    PersonStatus,
    Relation,
    Sex,
)

__all__ = [
    "Education",
    "Ethnicity",
    "Health",
    "Household",
    "HouseholdIncome",
    "HouseholdMembership",
    "MembershipReason",
    "MonitoringStatus",
    "Person",
    "PersonStatus",
    "Relation",
    "Sex",
]


class Ethnicity(models.Model):
    """One of the 56 ethnic groups, with its GB 3304 code (民族)."""

    catalogue = True

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=16, unique=True)
    roman = models.CharField(_("romanised name"), max_length=32)

    class Meta:
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """A registered household (户)."""

    scope_region_field = "village"

    county_code = models.CharField(max_length=6, editable=False)  # see Meta.indexes
    # Unique with the county code (Meta.constraints); services keep it unique everywhere.
    number = models.CharField(_("household number"), max_length=32)
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    group = models.ForeignKey(
        "regions.Region",
        verbose_name=_("villager group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_households",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    head = models.ForeignKey(
        "Person",
        verbose_name=_("head of household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    labour_count = models.PositiveSmallIntegerField(_("labour force"), default=0)
    registered_poor_year = models.PositiveSmallIntegerField(
        _("year registered poor"), null=True, blank=True
    )
    lifted_year = models.PositiveSmallIntegerField(
        _("year lifted out of poverty"), null=True, blank=True
    )
    monitoring_status = models.CharField(
        _("monitoring status"),
        max_length=16,
        choices=MonitoringStatus.choices,
        blank=True,
        default="",
    )
    # 两不愁三保障 and safe drinking water; None means not yet checked.
    food_secure = models.BooleanField(_("enough food"), null=True, blank=True)
    clothing_secure = models.BooleanField(_("enough clothing"), null=True, blank=True)
    education_secure = models.BooleanField(_("compulsory education assured"), null=True, blank=True)
    medical_secure = models.BooleanField(_("basic medical care assured"), null=True, blank=True)
    housing_secure = models.BooleanField(_("safe housing assured"), null=True, blank=True)
    water_secure = models.BooleanField(_("safe drinking water"), null=True, blank=True)
    checklist_checked_on = models.DateField(_("checklist last checked"), null=True, blank=True)
    # Where the house stands (WGS 84), optional: grid maps draw it and a drawn grid takes the
    # households inside its boundary.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Optimistic locking: every write through a service adds one, and a write made from an
    # older reading (a grid worker's phone that was offline) is refused as a conflict instead
    # of silently overwriting what someone else changed meanwhile.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = (
        "number",
        "village",
        "group",
        "address",
        "head",
        "labour_count",
        "registered_poor_year",
        "lifted_year",
        "monitoring_status",
        "food_secure",
        "clothing_secure",
        "education_secure",
        "medical_secure",
        "housing_secure",
        "water_secure",
        "checklist_checked_on",
        "latitude",
        "longitude",
    )
    CHECKLIST = (
        "food_secure",
        "clothing_secure",
        "education_secure",
        "medical_secure",
        "housing_secure",
        "water_secure",
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["number"]
        indexes = [
            models.Index(fields=["county_code", "village"], name="household_county_village"),
            # The list's order (village, then number): read in that order, a page of the city's
            # 300,000 households is fifty index steps, not a sort of them all.
            models.Index(fields=["village", "number"], name="household_village_number"),
        ]
        # Every unique constraint includes the distribution key (Citus); the number leads, so
        # the constraint's index also serves the lookups by number alone.
        constraints = [
            models.UniqueConstraint(
                fields=["number", "county_code"], name="household_unique_number"
            )
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.county_code = self.village.code[:6]
        super().save(*args, **kwargs)

    @property
    def checklist_gaps(self) -> list[str]:
        """The checklist items known to fail (unknown is not a gap, but is not a pass either)."""
        return [name for name in self.CHECKLIST if getattr(self, name) is False]


class HouseholdIncome(models.Model):
    """Net income per head of a household in one year (人均纯收入), in yuan."""

    scope_region_field = "household__village"

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="incomes")
    year = models.PositiveSmallIntegerField(_("year"))
    income_per_head = models.DecimalField(_("income per head"), max_digits=12, decimal_places=2)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("income per head")
        verbose_name_plural = _("incomes per head")
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="one_income_per_year")
        ]
        ordering = ["household", "-year"]

    def __str__(self) -> str:
        return f"{self.household} {self.year}: {self.income_per_head}"


class Person(models.Model):
    """A resident (人口): one household at a time, history in HouseholdMembership."""

    scope_region_field = "household__village"

    county_code = models.CharField(max_length=6, editable=False)  # see Meta.indexes
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    name = models.CharField(_("name"), max_length=32)
    search_text = models.TextField(editable=False, default="")
    id_number_encrypted = models.TextField(editable=False)
    # Keyed hash: exact lookup and uniqueness without storing the number in clear.
    id_number_hash = models.CharField(max_length=64, editable=False)  # unique: Meta
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.ForeignKey(
        Ethnicity,
        verbose_name=_("ethnic group"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # 56 values: an index would not narrow a search, only slow imports
    )
    relation = models.CharField(_("relation to the head"), max_length=16, choices=Relation.choices)
    phone_encrypted = models.TextField(blank=True, default="", editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    phone_masked = models.CharField(
        _("phone"), max_length=20, blank=True, default="", editable=False
    )
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    health = models.CharField(
        _("health"), max_length=16, choices=Health.choices, default=Health.HEALTHY
    )
    occupation = models.CharField(_("occupation"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    # Masked values stand in for the encrypted ones in the audit log: it never holds clear text.
    AUDITED_FIELDS = (
        "household",
        "name",
        "id_number_masked",
        "sex",
        "birth_date",
        "ethnicity",
        "relation",
        "phone_masked",
        "education",
        "health",
        "occupation",
        "status",
        "status_changed_on",
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["household", "id"]
        # Only the indexes lookups need: every one slows a million-row import. Declared here
        # rather than with unique=/db_index=, which on PostgreSQL add a second, LIKE-pattern
        # index to text columns that are only ever compared whole.
        indexes = [
            models.Index(fields=["county_code", "household"], name="person_county_household"),
            models.Index(fields=["phone_hash"], name="person_phone_hash"),
            # The search box reads the members' (search text, household) pairs from this index
            # alone: a narrow scan instead of the city's whole persons table (1.1 s → 0.15 s).
            models.Index(fields=["search_text", "household"], name="person_search"),
        ]
        constraints = [
            # With the distribution key (Citus); the hash leads, so the index serves lookups by
            # hash alone. The service refuses a number registered in any county.
            models.UniqueConstraint(
                fields=["id_number_hash", "county_code"], name="person_unique_id_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.id_number_masked})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_text(self.name)
        self.county_code = self.household.county_code
        super().save(*args, **kwargs)


class HouseholdMembership(models.Model):
    """One stretch of a person's membership of a household: history is kept, not overwritten."""

    scope_region_field = "household__village"

    # The household's county: the distribution key, set on every write (save, bulk paths).
    county_code = models.CharField(max_length=6, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    relation = models.CharField(_("relation to the head"), max_length=16, choices=Relation.choices)
    joined_on = models.DateField(_("joined on"))
    joined_reason = models.CharField(
        _("why joined"), max_length=16, choices=MembershipReason.choices
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(
        _("why left"), max_length=16, choices=MembershipReason.choices, blank=True
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("household membership")
        verbose_name_plural = _("household memberships")
        ordering = ["person", "joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "county_code"],
                condition=models.Q(left_on__isnull=True),
                name="one_open_membership_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.household_id} from {self.joined_on}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.county_code = self.household.county_code
        super().save(*args, **kwargs)
