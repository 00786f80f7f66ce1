"""Reads of response stages: the stage in force for a region, its history, the suggestion."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from coproduce.accounts.permissions import Scope
from coproduce.recovery.selectors.resumption import resumption_on
from coproduce.regions.models import Region
from coproduce.stages import rules
from coproduce.stages.models import RegionStage, SuggestionDecision
from coproduce.tracing.selectors import confirmed_case_last_day, confirmed_cases_in

EVERYWHERE = Scope(everywhere=True, grants=())
# Where no official ever set a stage, a region is in stage 1: the platform is used in an epidemic.
DEFAULT_STAGE = rules.Stage.PREVENTION


@dataclass(frozen=True)
class StageInfo:
    """The stage in force for a region on a day, since when, and the region that set it."""

    stage: int
    since: date | None
    set_in: str | None  # the code of the region whose setting applies (itself or an ancestor)


def _settings_by_region(region: Region) -> dict[str, list[rules.StageSetting]]:
    codes = [c for c in region.path.strip("/").split("/") if c]
    out: dict[str, list[rules.StageSetting]] = {}
    for code, stage, day, pk in RegionStage.objects.filter(region_id__in=codes).values_list(
        "region_id", "stage", "effective_from", "id"
    ):
        out.setdefault(code, []).append(rules.StageSetting(stage, day, pk))
    return out


def stage_current(*, region: Region, on: date) -> StageInfo:
    """The stage in force on a day: the region's own setting, else its nearest ancestor's, else 1.

    The most specific setting wins, as with risk levels: a county may move to stage 2 before its
    province, or back to stage 1 alone when a cluster appears there.
    """
    by_region = _settings_by_region(region)
    for code in reversed([c for c in region.path.strip("/").split("/") if c]):
        setting = rules.stage_in_force(by_region.get(code, ()), on)
        if setting is not None:
            return StageInfo(setting.stage, _since(by_region[code], setting, on), code)
    return StageInfo(DEFAULT_STAGE, None, None)


def _since(history: list[rules.StageSetting], current: rules.StageSetting, on: date) -> date:
    """The first day of the unbroken run of the current stage (a repeated setting does not move it)."""
    since = current.effective_from
    for day, stage in reversed(
        [c for c in rules.stage_changes(history) if c[0] <= on]
    ):  # newest change first
        if stage != current.stage:
            break
        since = day
    return since


def stage_changes(*, region: Region) -> list[tuple[date, int]]:
    """The days the stage in force for the region changed, with the stage from then (for charts)."""
    by_region = _settings_by_region(region)
    days = sorted({s.effective_from for settings_ in by_region.values() for s in settings_})
    changes: list[tuple[date, int]] = []
    for day in days:
        stage = stage_current(region=region, on=day).stage
        if not changes or changes[-1][1] != stage:
            changes.append((day, stage))
    return changes


def stage_history(*, region: Region):
    """Every stage set for the region itself, newest first, with who set it."""
    return RegionStage.objects.filter(region=region).select_related("set_by")


def suggestion_thresholds() -> rules.SuggestionThresholds:
    """The suggestion rule's thresholds from the settings (COPRODUCE_STAGE_*)."""
    return rules.SuggestionThresholds(
        stage3_quiet_days=settings.STAGE3_QUIET_DAYS,
        stage2_quiet_days=settings.STAGE2_QUIET_DAYS,
        cluster_window_days=settings.STAGE_CLUSTER_WINDOW_DAYS,
        cluster_min_cases=settings.STAGE_CLUSTER_MIN_CASES,
    )


def resumption_under_way(*, region: Region, on: date) -> bool:
    """Whether enterprises of the region are resuming production (stage 2's sign): at least
    COPRODUCE_STAGE2_OPEN_PCT percent of its enterprises open by their latest report on the day.

    A region-wide figure from the recovery app's kept aggregates, not a caller's view: it names
    no enterprise, so it is read everywhere-scoped.
    """
    figures = resumption_on(scope=EVERYWHERE, region=region, on=on)
    if figures.enterprises_total == 0 or figures.enterprises_open == 0:
        return False
    threshold = settings.STAGE2_RESUMPTION_OPEN_PCT
    return figures.enterprises_open * 100 >= threshold * figures.enterprises_total


def suggestion_get(*, region: Region, on: date) -> rules.Suggestion | None:
    """The stage change the records suggest for the region on a day, unless an official answered
    this very suggestion already (accepted or dismissed, on the same evidence)."""
    current = stage_current(region=region, on=on)
    thresholds = suggestion_thresholds()
    # The cases of twice the longer window (enough to tell when a cluster began), and the last
    # case before them (all the quiet days need): two index-bound reads, whatever the history.
    lookback = 2 * max(thresholds.stage3_quiet_days, thresholds.cluster_window_days)
    start = on - timedelta(days=lookback)
    since = current.since or start
    cases = [
        rules.ConfirmedCase(day, cluster)
        for day, cluster in confirmed_cases_in(region_path=region.path, start=start, end=on)
    ]
    if not cases:
        last = confirmed_case_last_day(region_path=region.path, before=start)
        if last is not None:
            cases = [rules.ConfirmedCase(last)]
    suggestion = rules.stage_suggest(
        current=current.stage,
        since=since,
        today=on,
        cases=cases,
        resumption_under_way=resumption_under_way(region=region, on=on),
        thresholds=thresholds,
    )
    if suggestion is None:
        return None
    answered = SuggestionDecision.objects.filter(
        region=region,
        suggested_stage=suggestion.stage,
        reason=suggestion.reason.value,
        basis=suggestion.basis,
    ).exists()
    return None if answered else suggestion


def decision_list(*, region: Region):
    """The officials' answers to suggestions for this region, newest first."""
    return SuggestionDecision.objects.filter(region=region).select_related("decided_by")
