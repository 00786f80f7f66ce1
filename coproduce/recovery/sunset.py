"""The sunset of recovery: members' free text and who represented them (core/anonymization.py).

Enterprises, parks, associations and their figures are legal entities' records, not personal
data: names, industries, workers, reports' percentages, procurements and rent relief stay, so
the resumption curve and the association's totals hold. What people wrote (notes, descriptions
of a loan or a dispute, outcomes) goes, and so do the links naming the users who acted for an
enterprise (their accounts are anonymized by accounts' own sunset).
"""

from django.db.models import Q

from coproduce.recovery.models import (
    BoardPost,
    EnterpriseRepresentative,
    ResumptionReport,
    ServiceRequest,
)


def anonymize(*, actor) -> dict[str, int]:
    """Reports, posts and requests keep their figures and states; their free text goes."""
    reports = ResumptionReport.objects.exclude(note="").update(note="")
    posts = BoardPost.objects.exclude(note="").update(note="")
    requests = ServiceRequest.objects.exclude(Q(description="") & Q(outcome="")).update(
        description="", outcome=""
    )
    representatives, _ = EnterpriseRepresentative.objects.all().delete()
    return {
        "resumption_reports": reports,
        "board_posts": posts,
        "service_requests": requests,
        "representatives": representatives,
    }
