"""What the dashboard may know of organizations: name and category, for Table 1's columns."""

from dataclasses import dataclass

from django.urls import reverse

from coproduce.orgs.models import Organization

GOVERNMENT = Organization.Category.GOVERNMENT_UNIT


@dataclass(frozen=True)
class OrganizationInfo:
    """An organization as a figure names it: id, name, category and its label, its page."""

    id: int
    name: str
    category: str
    category_label: str
    link: str

    @property
    def government(self) -> bool:
        return self.category == GOVERNMENT


def organizations_describe(ids) -> dict[int, OrganizationInfo]:
    """The organizations of these ids (public facts: name and category), by id."""
    return {
        org.id: OrganizationInfo(
            id=org.id,
            name=org.name,
            category=org.category,
            category_label=str(org.get_category_display()),
            link=reverse("orgs:detail", args=[org.slug]),
        )
        for org in Organization.objects.filter(id__in=[i for i in ids if i])
    }


def categories() -> list[tuple[str, str]]:
    """Every category (value, label), community organizations first, government units last."""
    return [(c.value, str(c.label)) for c in Organization.Category]
