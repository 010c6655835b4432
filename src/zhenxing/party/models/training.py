"""Training (培训): a course menu, villages ordering (点单) and the department assigning (配菜),
sessions and their attendance.

A session is organised at some level (the city, a township, a village) and is open to the
cadres below it, so a village cadre sees the sessions of their township and city as well as
their own (``scope_includes_ancestors``) and records attendance for their own village's cadres.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet


class DeliveryMode(models.TextChoices):
    STUDY_VISIT = "study_visit", _("Study visit out (走出去)")
    EXPERT_IN = "expert_in", _("Expert invited in (请进来)")
    OFFLINE = "offline", _("Classroom")
    ONLINE = "online", _("Online")


class Course(models.Model):
    """A course of the menu (课程), loaded as data and extended by the department."""

    catalogue = True

    code = models.CharField(_("code"), max_length=16, unique=True)
    title = models.CharField(_("title"), max_length=64)
    summary = models.TextField(_("summary"), blank=True)
    mode = models.CharField(
        _("usual delivery"), max_length=16, choices=DeliveryMode.choices, default="offline"
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=4)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class OrderOrigin(models.TextChoices):
    ORDERED = "ordered", _("Ordered by the village (点单)")
    ASSIGNED = "assigned", _("Assigned by the department (配菜)")


class CourseOrder(models.Model):
    """A course a village asked for, or one the department assigned to it, for a year."""

    scope_region_field = "village"

    village = models.ForeignKey(
        "regions.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    origin = models.CharField(_("origin"), max_length=16, choices=OrderOrigin.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    session = models.ForeignKey(
        "party.TrainingSession",
        verbose_name=_("session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("course order")
        verbose_name_plural = _("course orders")
        ordering = ["-year", "village__code"]
        constraints = [
            models.UniqueConstraint(fields=["village", "course", "year"], name="course_order_once")
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.course} {self.year}"


class TrainingSession(models.Model):
    """One session of a course: where, when, by whom; attendance is recorded after it."""

    scope_region_field = "region"
    scope_includes_ancestors = True

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT)
    mode = models.CharField(_("delivery"), max_length=16, choices=DeliveryMode.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    place = models.CharField(_("place"), max_length=64)
    trainers = models.CharField(_("trainers"), max_length=128)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    cancelled = models.BooleanField(_("cancelled"), default=False)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = (
        "region",
        "course",
        "mode",
        "starts_on",
        "ends_on",
        "place",
        "trainers",
        "cancelled",
    )

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="session_dates")
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_on:%Y-%m-%d}"


class AttendanceResult(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    EXCELLENT = "excellent", _("Excellent")
    FAILED = "failed", _("Did not pass")


class Attendance(models.Model):
    """A cadre's attendance at a session, with the result."""

    scope_region_field = "position__village"

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    position = models.ForeignKey(
        "party.CadrePosition",
        verbose_name=_("cadre"),
        on_delete=models.PROTECT,
        related_name="attendance",
    )
    result = models.CharField(
        _("result"), max_length=16, choices=AttendanceResult.choices, default="completed"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.position.person.name}"
