"""The registry's choices (sex, relation, education, health, status, monitoring, membership
reasons): plain enums with no model behind them, so forms, filters, importers and other apps
read them without the models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MonitoringStatus(models.TextChoices):
    NONE = "", _("Not monitored")
    UNSTABLE = "unstable", _("Unstable lifted household")
    MARGINAL = "marginal", _("Marginal household at risk")
    SUDDEN = "sudden", _("Household in sudden severe difficulty")


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
    GRANDCHILD = "grandchild", _("Grandchild")
    PARENT = "parent", _("Parent")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class Education(models.TextChoices):
    NONE = "none", _("Illiterate or semi-literate")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary or vocational")
    COLLEGE = "college", _("College or above")
    PRESCHOOL = "preschool", _("Not yet at school")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    CHRONIC = "chronic", _("Chronic illness")
    SERIOUS = "serious", _("Serious illness")
    DISABLED = "disabled", _("Disabled")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("Registered")
    DECEASED = "deceased", _("Deceased")
    MIGRATED = "migrated", _("Moved away")


class MembershipReason(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    BORN = "born", _("Born")
    MARRIED_IN = "married_in", _("Married in")
    MOVED = "moved", _("Moved between households")
    SPLIT = "split", _("Household split")
    MERGED = "merged", _("Households merged")
    DIED = "died", _("Died")
    MIGRATED = "migrated", _("Moved away")
