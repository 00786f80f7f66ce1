"""Filing resumption reports, with the kept aggregates updated in the same transaction."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coproduce.core import clock
from coproduce.core.audit import audit_record
from coproduce.core.errors import Conflict, NotFound, ValidationFailed
from coproduce.recovery import rules
from coproduce.recovery.models import Blocker, Enterprise, ResumptionReport
from coproduce.recovery.scope import enterprise_scope
from coproduce.recovery.services import aggregates
from coproduce.recovery.texts import report_problem_text


def _figures(report: ResumptionReport | None) -> rules.ReportFigures | None:
    if report is None:
        return None
    return rules.ReportFigures(report.open, report.workers_on_site, report.capacity_pct)


def resumption_report_create(
    *,
    actor,
    enterprise_id: int,
    date: date,
    open: bool,
    workers_on_site: int,
    capacity_pct: int | None = None,
    blockers: list[str] | None = None,
    note: str = "",
    today: date | None = None,
) -> ResumptionReport:
    """File an enterprise's report for a local day: one per day (409), possible figures (422).

    `today` is the platform's local date unless given (the demo plays reports forward to the
    paper's 2020-02-26).
    """
    scope = enterprise_scope(actor, "recovery.report")
    blockers = list(dict.fromkeys(blockers or []))
    errors: dict[str, list[str]] = {}
    unknown = [b for b in blockers if b not in Blocker.values]
    if unknown:
        errors["blockers"] = [_("Not a known blocker: %(b)s") % {"b": ", ".join(map(str, unknown))}]
    if len(note) > 500:
        errors["note"] = [_("A note is at most 500 characters.")]
    figures = rules.ReportFigures(bool(open), workers_on_site, capacity_pct)
    with transaction.atomic():
        ent = Enterprise.objects.select_for_update().filter(scope.q(), pk=enterprise_id).first()
        if ent is None:
            raise NotFound(_("No such enterprise in your scope."))
        problems = rules.report_problems(
            figures=figures,
            workers_total=ent.workers_total,
            report_date=date,
            today=today or clock.today(),
        )
        for field, problem in problems.items():
            errors.setdefault(field, []).append(report_problem_text(problem))
        if errors:
            raise ValidationFailed(_("The report has problems."), fields=errors)
        reports = ResumptionReport.objects.filter(enterprise=ent)
        if reports.filter(date=date).exists():
            raise Conflict(
                _("This enterprise has already reported for %(date)s.") % {"date": date},
                code="already_reported",
            )
        before = reports.filter(date__lt=date).order_by("-date").first()
        after = reports.filter(date__gt=date).order_by("date").first()
        try:
            with transaction.atomic():
                report = ResumptionReport.objects.create(
                    enterprise=ent,
                    date=date,
                    open=bool(open),
                    workers_on_site=workers_on_site,
                    capacity_pct=capacity_pct,
                    blockers=blockers,
                    note=note.strip(),
                    reported_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:
            raise Conflict(
                _("This enterprise has already reported for %(date)s.") % {"date": date},
                code="already_reported",
            ) from None
        new = rules.enterprise_state(figures=figures, workers_total=ent.workers_total)
        old = rules.enterprise_state(figures=_figures(before), workers_total=ent.workers_total)
        aggregates.state_changed(
            enterprise=ent,
            change=new.minus(old),
            start=date,
            end=after.date if after else None,
        )
        aggregates.blockers_reported(enterprise=ent, day=date, blockers=blockers)
        audit_record(
            actor=actor,
            action="recovery.report.create",
            target=report,
            details={"enterprise": ent.pk, "date": date.isoformat()},
        )
    return report
