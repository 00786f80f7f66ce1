"""The recovery app's models (a package): enterprises and parks with their kept aggregates,
collective procurement, and the board, member services and rent relief."""

from coproduce.recovery.models.enterprises import (
    ASSOCIATION_CATEGORIES,
    Blocker,
    BlockerTally,
    Enterprise,
    EnterpriseMembership,
    EnterpriseRepresentative,
    IndustrialPark,
    Industry,
    ParkOpenDelta,
    ResumptionReport,
    ResumptionTally,
    SizeClass,
)
from coproduce.recovery.models.member import (
    BoardMatch,
    BoardPost,
    RentReliefBeneficiary,
    RentReliefProgram,
    ServiceRequest,
)
from coproduce.recovery.models.procurement import (
    Procurement,
    ProcurementLine,
    ProcurementNeed,
    SupplierQuote,
)

__all__ = [
    "ASSOCIATION_CATEGORIES",
    "Blocker",
    "BlockerTally",
    "BoardMatch",
    "BoardPost",
    "Enterprise",
    "EnterpriseMembership",
    "EnterpriseRepresentative",
    "IndustrialPark",
    "Industry",
    "ParkOpenDelta",
    "Procurement",
    "ProcurementLine",
    "ProcurementNeed",
    "RentReliefBeneficiary",
    "RentReliefProgram",
    "ResumptionReport",
    "ResumptionTally",
    "ServiceRequest",
    "SizeClass",
    "SupplierQuote",
]
