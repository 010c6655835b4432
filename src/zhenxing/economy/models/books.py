"""The village collective economy (壮大村集体经济): its entities and its books.

Each village has one collective economic organisation (一村一社、村社合一), which keeps
double-entry books under the accounting system for rural collective economic organisations
(农村集体经济组织会计制度, 财会〔2023〕14号, in force 2024-01-01). A posted voucher is never edited
or deleted: it is corrected by a reversing voucher, in red ink (the same lines with negated
amounts, the Chinese practice 红字冲销), so turnover and balances both return exactly.

Dashboards never add up voucher lines on a request (DESIGN, "Growing past one machine"): posting
keeps two summary tables up to date in the same transaction, ``AccountBalance`` (each account's
turnover per month) and ``YearFigures`` (each organisation's figures per year), and
``zhenxing economy_check`` proves they equal the ledger.
"""

from __future__ import annotations

import decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhenxing.core.scoping import ScopedQuerySet

#: Money: yuan with two places (max_digits=16, decimal_places=2), never float.
ZERO = decimal.Decimal("0.00")


class AccountCategory(models.TextChoices):
    ASSET = "asset", _("Assets")
    LIABILITY = "liability", _("Liabilities")
    EQUITY = "equity", _("Owners' equity")
    COST = "cost", _("Cost")
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")


#: The classes whose accounts the year-end carry-forward empties into the year's result.
RESULT_CATEGORIES = (AccountCategory.INCOME, AccountCategory.EXPENSE)


class Side(models.TextChoices):
    DEBIT = "debit", _("Debit")
    CREDIT = "credit", _("Credit")


class NormalSide(models.TextChoices):
    """Where an account's balance normally sits; ``both`` accounts (内部往来, 固定资产清理,
    待处理财产损溢) may sit on either side."""

    DEBIT = "debit", _("Debit")
    CREDIT = "credit", _("Credit")
    BOTH = "both", _("Either side")


class Chart(models.Model):
    """A chart of accounts (会计制度): the 2023 system or the 2004 one it replaced, with the
    period it governs books in. Loaded as data (``data/charts/``)."""

    catalogue = True

    code = models.CharField(_("chart of accounts"), max_length=8, unique=True)
    name = models.CharField(_("accounting system"), max_length=64)
    document = models.CharField(_("issued as"), max_length=32)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)

    class Meta:
        verbose_name = _("chart of accounts")
        verbose_name_plural = _("charts of accounts")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name}（{self.document}）"


class Account(models.Model):
    """An account of a chart of accounts (会计科目), loaded as data (``data/charts/``)."""

    catalogue = True

    chart = models.CharField(_("chart of accounts"), max_length=8)
    code = models.CharField(_("account code"), max_length=16)
    name = models.CharField(_("account name"), max_length=32)
    category = models.CharField(_("class"), max_length=16, choices=AccountCategory.choices)
    normal_side = models.CharField(_("normal balance"), max_length=8, choices=NormalSide.choices)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("chart of accounts")
        ordering = ["chart", "code"]
        constraints = [
            models.UniqueConstraint(fields=["chart", "code"], name="account_code_per_chart")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def debit_normal(self) -> bool:
        """Balances read on the debit side (``both`` accounts too: a credit shows negative)."""
        return self.normal_side != NormalSide.CREDIT


class AccountRole(models.TextChoices):
    """What an automatic posting or a report needs an account for, named once per chart in
    ``data/charts/roles.csv`` (so no code names an account code)."""

    CASH = "cash", _("Cash")
    BANK = "bank", _("Bank deposits")
    CAPITAL = "capital", _("Capital")
    RESERVE = "reserve", _("Provident and welfare reserve")
    YEAR_RESULT = "year_result", _("Result of the year (carry-forward)")
    DISTRIBUTION = "distribution", _("Distribution of the result")
    PAYABLE = "payable", _("Amounts payable")
    OPERATING_REVENUE = "operating_revenue", _("Operating revenue")
    CONTRACTING_REVENUE = "contracting_revenue", _("Contracting and remittance revenue")
    INVESTMENT_INCOME = "investment_income", _("Investment income")
    SUBSIDY_INCOME = "subsidy_income", _("Subsidy income")
    OPERATING_EXPENSE = "operating_expense", _("Operating expenses")
    MANAGEMENT_EXPENSE = "management_expense", _("Management expenses")


class ChartRole(models.Model):
    """The account of one chart that plays a role (``AccountRole``)."""

    catalogue = True

    chart = models.CharField(_("chart of accounts"), max_length=8)
    role = models.CharField(_("role"), max_length=24, choices=AccountRole.choices)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="roles"
    )

    class Meta:
        verbose_name = _("account role")
        verbose_name_plural = _("account roles")
        ordering = ["chart", "role"]
        constraints = [models.UniqueConstraint(fields=["chart", "role"], name="chart_role")]

    def __str__(self) -> str:
        return f"{self.chart} {self.role}: {self.account}"


class Statement(models.TextChoices):
    BALANCE_SHEET = "balance_sheet", _("Balance sheet")
    INCOME = "income", _("Income and distribution statement")


class LineMeasure(models.TextChoices):
    """What a statement line reads of its accounts."""

    CLOSING = "closing", _("Balance at the period's end")
    OPENING = "opening", _("Balance at the year's start")
    PERIOD = "period", _("The period's own postings (net)")
    PERIOD_DEBIT = "period_debit", _("The period's own debit postings")
    PERIOD_CREDIT = "period_credit", _("The period's own credit postings")


class StatementLine(models.Model):
    """One line of a statement in its official layout (资产负债表, 收益及收益分配表), as data.

    A line adds up accounts (``accounts``: signed code prefixes, ``"+121 +131"``, over balances
    signed on the debit side, so a contra account such as 累计摊销 nets itself: ``"+161 +162"``;
    a ``:debit`` or ``:credit`` suffix takes only a balance on that side, as 内部往来 splits
    between 应收款项 and 应付款项) and earlier lines (``lines``: signed row numbers of the amounts
    as shown, ``"+19 -20"``).
    ``measure`` says what it reads of the accounts (the period's own postings leave out
    carry-forward and opening vouchers), ``side`` on which side a positive amount sits."""

    catalogue = True

    chart = models.CharField(_("chart of accounts"), max_length=8)
    statement = models.CharField(_("statement"), max_length=16, choices=Statement.choices)
    row = models.PositiveSmallIntegerField(_("row"))  # 行次
    section = models.CharField(_("section"), max_length=16)
    label = models.CharField(_("line"), max_length=64)
    side = models.CharField(_("read on"), max_length=8, choices=Side.choices)
    measure = models.CharField(
        _("measure"), max_length=16, choices=LineMeasure.choices, default=LineMeasure.CLOSING
    )
    accounts = models.CharField(_("accounts"), max_length=128, blank=True)
    lines = models.CharField(_("lines added up"), max_length=128, blank=True)
    total = models.BooleanField(_("total line"), default=False)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["chart", "statement", "row"]
        constraints = [
            models.UniqueConstraint(fields=["chart", "statement", "row"], name="statement_row")
        ]

    def __str__(self) -> str:
        return f"{self.chart} {self.statement} {self.row} {self.label}"


class CorrespondenceKind(models.TextChoices):
    DIRECT = "direct", _("Moves as it is")
    SPLIT = "split", _("Split by analysis")


class AccountCorrespondence(models.Model):
    """A row of the official correspondence table between the old and the new chart
    (新旧制度会计科目对照表, 财会〔2023〕20号 附表): where an old account's balance goes. An old
    account with several rows splits: the officer assigns each part by the rule's text."""

    catalogue = True

    old_account = models.ForeignKey(
        Account,
        verbose_name=_("old account"),
        on_delete=models.CASCADE,
        related_name="successors",
    )
    new_account = models.ForeignKey(
        Account,
        verbose_name=_("new account"),
        on_delete=models.CASCADE,
        related_name="predecessors",
    )
    kind = models.CharField(_("how"), max_length=8, choices=CorrespondenceKind.choices)
    rule = models.TextField(_("rule"), blank=True)

    class Meta:
        verbose_name = _("account correspondence")
        verbose_name_plural = _("account correspondence table")
        ordering = ["old_account__code", "new_account__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["old_account", "new_account"], name="correspondence_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_account} → {self.new_account}"


class CollectiveOrganization(models.Model):
    """A village's collective economic organisation / cooperative (村集体经济组织)."""

    scope_region_field = "village"

    county_code = models.CharField(max_length=6, editable=False)
    village = models.OneToOneField(
        "regions.Region",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="collective",
    )
    name = models.CharField(_("name"), max_length=64)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=32, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital"), default=ZERO, max_digits=16, decimal_places=2
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    chart = models.CharField(_("chart of accounts"), max_length=8, default="2023")
    # Periods close in order: every month up to this one (year * 100 + month) refuses postings.
    closed_through = models.PositiveIntegerField(_("books closed through"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = (
        "name",
        "uscc",
        "legal_representative",
        "registered_capital",
        "chart",
        "closed_through",
    )

    class Meta:
        verbose_name = _("collective economic organisation")
        verbose_name_plural = _("collective economic organisations")
        ordering = ["village__code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.county_code = self.village.code[:6]
        super().save(*args, **kwargs)

    def is_closed(self, year: int, month: int) -> bool:
        return self.closed_through is not None and year * 100 + month <= self.closed_through


class CompanyKind(models.TextChoices):
    CITY = "city", _("City state-owned company")
    TOWNSHIP = "township", _("Township platform company")
    PRIVATE = "private", _("Private company")


class Company(models.Model):
    """A company in the "company + cooperative + farm household" linkage (公司)."""

    scope_region_field = "region"

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("registered in"),
        on_delete=models.PROTECT,
        related_name="companies",
    )
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=CompanyKind.choices)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    legal_representative = models.CharField(_("legal representative"), max_length=32)
    registered_capital = models.DecimalField(
        _("registered capital"), default=ZERO, max_digits=16, decimal_places=2
    )
    industries = models.CharField(_("industries"), max_length=128, blank=True)
    villages = models.ManyToManyField(
        "regions.Region",
        verbose_name=_("villages served"),
        related_name="serving_companies",
        blank=True,
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class VoucherStatus(models.TextChoices):
    DRAFT = "draft", _("Prepared, awaiting approval")
    POSTED = "posted", _("Posted")


class VoucherKind(models.TextChoices):
    """What a voucher does. Carry-forward (结转) and opening (建账, 新旧衔接) vouchers move
    balances between accounts; they neither earn nor spend, so the income statement and
    operating income leave them out."""

    ORDINARY = "ordinary", _("Ordinary")
    CARRY_FORWARD = "carry_forward", _("Year-end carry-forward")
    OPENING = "opening", _("Opening balances")


class Voucher(models.Model):
    """A bookkeeping voucher (记账凭证): lines that balance, a preparer and an approver."""

    scope_region_field = "organization__village"

    county_code = models.CharField(max_length=6, editable=False)
    organization = models.ForeignKey(
        CollectiveOrganization,
        verbose_name=_("collective economic organisation"),
        on_delete=models.PROTECT,
        related_name="vouchers",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    number = models.PositiveIntegerField(_("voucher number"))
    date = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=128)
    status = models.CharField(
        _("status"), max_length=8, choices=VoucherStatus.choices, default=VoucherStatus.DRAFT
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=VoucherKind.choices, default=VoucherKind.ORDINARY
    )
    attachments = models.PositiveSmallIntegerField(_("attached documents"), default=0)
    preparer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    # A foreign key with a unique constraint that includes the county (not a one-to-one, whose
    # implicit unique index would not): a voucher is reversed at most once.
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses voucher"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("organization", "year", "month", "number", "date", "summary", "status")

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["organization", "year", "month", "number"]
        # Every unique constraint includes the county, so the table can be distributed by
        # county (Citus, DESIGN "Growing past one machine"); the organisation fixes the county.
        constraints = [
            models.UniqueConstraint(
                fields=["county_code", "organization", "year", "month", "number"],
                name="voucher_number",
            ),
            models.UniqueConstraint(
                fields=["county_code", "reverses"],
                condition=Q(reverses__isnull=False),
                name="voucher_reversed_once",
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="voucher_month"),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} 记{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.county_code = self.organization.county_code
        super().save(*args, **kwargs)


class VoucherLine(models.Model):
    """One line (分录) of a voucher: an account and a debit or a credit amount, not both.

    Amounts are negative only on a reversing voucher (red ink)."""

    scope_region_field = "voucher__organization__village"

    # The voucher's county, kept on the line so the lines distribute with their voucher.
    county_code = models.CharField(max_length=6, editable=False)
    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField(_("line"))
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.CharField(_("summary"), max_length=128, blank=True)
    debit = models.DecimalField(_("debit"), default=ZERO, max_digits=16, decimal_places=2)
    credit = models.DecimalField(_("credit"), default=ZERO, max_digits=16, decimal_places=2)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("voucher line")
        verbose_name_plural = _("voucher lines")
        ordering = ["voucher", "line_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["county_code", "voucher", "line_no"], name="voucher_line_number"
            ),
            models.CheckConstraint(
                condition=(Q(debit=0) & ~Q(credit=0)) | (~Q(debit=0) & Q(credit=0)),
                name="line_one_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} #{self.line_no}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.county_code = self.voucher.county_code
        super().save(*args, **kwargs)


class VoucherAttachment(models.Model):
    """A scanned receipt, contract or list attached to a voucher (原始凭证). Files live under
    MEDIA_ROOT and are served only through a scoped view, never as public media."""

    scope_region_field = "voucher__organization__village"

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="vouchers/%Y/%m/")
    name = models.CharField(_("file name"), max_length=128)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    AUDITED_FIELDS = ("voucher", "name", "size")

    class Meta:
        verbose_name = _("voucher attachment")
        verbose_name_plural = _("voucher attachments")
        ordering = ["voucher", "pk"]

    def __str__(self) -> str:
        return self.name


class AccountBalance(models.Model):
    """Summary table: an account's turnover in one month of one organisation's books."""

    scope_region_field = "organization__village"

    organization = models.ForeignKey(
        CollectiveOrganization, on_delete=models.CASCADE, related_name="+"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    # Integer fen: exact sums on every database (SQLite would add decimals as floats).
    debit_fen = models.BigIntegerField(default=0)
    credit_fen = models.BigIntegerField(default=0)
    # The part of the turnover above that carry-forward and opening vouchers posted (they move
    # balances): the income statement reads the turnover without it.
    moved_debit_fen = models.BigIntegerField(default=0)
    moved_credit_fen = models.BigIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("account turnover")
        verbose_name_plural = _("account turnovers")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "account", "year", "month"], name="balance_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.account_id} {self.year}-{self.month:02d}"


class Figure(models.TextChoices):
    ACCUMULATION = "accumulation", _("Collective accumulation")
    OPERATING_INCOME = "operating_income", _("Operating income")


class Measure(models.TextChoices):
    NET_CREDIT = "net_credit", _("Credit minus debit, every posting")
    RESULT = "result", _("Credit minus debit, carry-forward and opening left out")


class FigureTerm(models.Model):
    """One term of a figure's formula for one chart (configuration, ``data/charts/
    figures.csv``): ``sign × measure`` of the chart's accounts whose code starts with
    ``account_prefix``.

    Accumulation (集体经济积累) is owners' equity at period end: the net credit of the equity
    accounts plus the year's not yet carried-forward result (net credit of the income and
    expense accounts), so it reads the same before and after the year-end carry-forward.
    Operating income (经营性收入) is what the operating and investment accounts earned in the
    year, net of losses and corrections posted on the debit side (2023: 经营收入 + 投资收益;
    2004: 经营收入 + 发包及上交收入 + 投资收益). Accumulation is a balance, so ``YearFigures``
    keeps its change per year and a year-end figure adds up the years to it."""

    catalogue = True

    chart = models.CharField(_("chart of accounts"), max_length=8)
    figure = models.CharField(_("figure"), max_length=24, choices=Figure.choices)
    account_prefix = models.CharField(_("account code prefix"), max_length=16)
    measure = models.CharField(_("measure"), max_length=16, choices=Measure.choices)
    sign = models.SmallIntegerField(_("sign"), default=1)

    class Meta:
        verbose_name = _("figure formula term")
        verbose_name_plural = _("figure formula terms")
        ordering = ["chart", "figure", "account_prefix"]
        constraints = [
            models.UniqueConstraint(
                fields=["chart", "figure", "account_prefix"], name="figure_term_per_chart"
            ),
            models.CheckConstraint(condition=Q(sign__in=[1, -1]), name="figure_term_sign"),
        ]

    def __str__(self) -> str:
        sign = "+" if self.sign > 0 else "-"
        return f"{self.chart} {self.figure}: {sign}{self.measure}({self.account_prefix})"


class YearFigures(models.Model):
    """Summary table: one organisation's figures for one year, kept up to date on posting."""

    scope_region_field = "organization__village"

    organization = models.ForeignKey(
        CollectiveOrganization, on_delete=models.CASCADE, related_name="year_figures"
    )
    year = models.PositiveSmallIntegerField()
    # Integer fen, like AccountBalance.
    accumulation_change_fen = models.BigIntegerField(default=0)
    operating_income_fen = models.BigIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("yearly figures")
        verbose_name_plural = _("yearly figures")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="figures_year")
        ]
        indexes = [models.Index(fields=["year", "organization"], name="figures_by_year")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}"


class Tier(models.TextChoices):
    """A village's place against the year's targets, lowest first."""

    HOLLOW = "hollow", _("Hollow village")
    BELOW = "below", _("Below target")
    ON_TARGET = "on_target", _("On target")
    STRONG = "strong", _("Economically strong village")
    RICH = "rich", _("Rich village")
