"""Member services (finance and legal aid) and rent relief (PRODUCT.md 3.7)."""

from datetime import date, timedelta
from enum import StrEnum


class ServiceKind(StrEnum):
    """Financial services or legal aid."""

    FINANCE = "finance"
    LEGAL = "legal"


class ServiceTopic(StrEnum):
    """What a member asks for."""

    LOAN = "loan"
    DEFERRAL = "deferral"
    SUBSIDY = "subsidy"
    CONTRACT_DISPUTE = "contract_dispute"
    LABOR_LAW = "labor_law"
    FORCE_MAJEURE = "force_majeure"


TOPICS = {
    ServiceKind.FINANCE: (ServiceTopic.LOAN, ServiceTopic.DEFERRAL, ServiceTopic.SUBSIDY),
    ServiceKind.LEGAL: (
        ServiceTopic.CONTRACT_DISPUTE,
        ServiceTopic.LABOR_LAW,
        ServiceTopic.FORCE_MAJEURE,
    ),
}

# Days the desk has to answer a request of each topic (force majeure certificates were urgent).
ANSWER_DAYS = {
    ServiceTopic.LOAN: 7,
    ServiceTopic.DEFERRAL: 5,
    ServiceTopic.SUBSIDY: 10,
    ServiceTopic.CONTRACT_DISPUTE: 7,
    ServiceTopic.LABOR_LAW: 5,
    ServiceTopic.FORCE_MAJEURE: 3,
}


class ServiceStatus(StrEnum):
    """Where a service request stands."""

    SUBMITTED = "submitted"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    DECLINED = "declined"


SERVICE_MOVES = {
    ServiceStatus.SUBMITTED: {ServiceStatus.ASSIGNED, ServiceStatus.DECLINED},
    ServiceStatus.ASSIGNED: {
        ServiceStatus.IN_PROGRESS,
        ServiceStatus.RESOLVED,
        ServiceStatus.DECLINED,
    },
    ServiceStatus.IN_PROGRESS: {ServiceStatus.RESOLVED, ServiceStatus.DECLINED},
    ServiceStatus.RESOLVED: set(),
    ServiceStatus.DECLINED: set(),
}


def service_due(topic: str, submitted: date) -> date:
    """Rule: a request must be answered within its topic's days (ANSWER_DAYS)."""
    return submitted + timedelta(days=ANSWER_DAYS[ServiceTopic(topic)])


def service_move_allowed(current: str, new: str) -> bool:
    """Rule: requests move forward only (SERVICE_MOVES); resolved and declined are final."""
    return ServiceStatus(new) in SERVICE_MOVES[ServiceStatus(current)]


def service_overdue(*, status: str, due_on: date, today: date) -> bool:
    """Rule: an unanswered request is overdue after its due date."""
    return status not in (ServiceStatus.RESOLVED, ServiceStatus.DECLINED) and today > due_on


class ReliefKind(StrEnum):
    """A rent reduction by a percentage of the rent, or by a fixed amount a month."""

    PERCENTAGE = "percentage"
    AMOUNT = "amount"


class ProviderKind(StrEnum):
    """Who cuts the rent."""

    LANDLORD = "landlord"
    PARK = "park"


def rent_relief_fen(
    *, kind: str, percent: int, amount_fen: int, monthly_rent_fen: int, months: int
) -> int:
    """Rule: the relief a member gets over the program: each month the percentage of its rent
    (rounded down to the fen) or the fixed amount, never more than the rent itself."""
    if monthly_rent_fen < 0 or months < 0:
        raise ValueError("Rent and months are not negative.")
    if kind == ReliefKind.PERCENTAGE:
        if not 0 < percent <= 100:
            raise ValueError("A percentage is from 1 to 100.")
        monthly = monthly_rent_fen * percent // 100
    else:
        if amount_fen <= 0:
            raise ValueError("An amount is above zero.")
        monthly = min(amount_fen, monthly_rent_fen)
    return monthly * months
