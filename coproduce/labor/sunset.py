"""The sunset of labor sharing: postings' notes and refusals' reasons (core/anonymization.py).

Postings, matching runs, proposals and agreements are between enterprises and stay with their
workers, skills, dates and distances, so the labor map and the totals of workers shared hold.
An agreement's pay and insurance terms are a contract between two legal entities and stay with
it; the free text a person wrote beside them (a posting's note, the reason for refusing or
ending a proposal) goes.
"""

from coproduce.labor.models import Posting, Proposal


def anonymize(*, actor) -> dict[str, int]:
    """Notes and reasons are emptied; every count stays."""
    postings = Posting.objects.exclude(note="").update(note="")
    proposals = Proposal.objects.exclude(reason="").update(reason="")
    return {"postings": postings, "proposals": proposals}
