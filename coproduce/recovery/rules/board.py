"""The supply-chain board: which offers may help a shortage (PRODUCT.md 3.7)."""

import math
from dataclasses import dataclass
from enum import StrEnum


class PostKind(StrEnum):
    """A member needs something, or offers it."""

    SHORTAGE = "shortage"
    OFFER = "offer"


class PostTopic(StrEnum):
    """What a post is about: raw material, or a distribution route."""

    MATERIAL = "material"
    DISTRIBUTION = "distribution"


def material_key(text: str) -> str:
    """Rule: materials match by name regardless of case, spacing and punctuation."""
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


@dataclass(frozen=True)
class BoardPostFacts:
    """What matching needs of a post: its id, enterprise, topic, material, region path, place."""

    id: int
    enterprise: int
    topic: str
    material: str
    region_path: str
    lat: float | None = None
    lon: float | None = None


def distance_km(a: BoardPostFacts, b: BoardPostFacts) -> float | None:
    """Great-circle distance between two posts' enterprises, when both have coordinates."""
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def city_path(path: str) -> str:
    """The prefecture-level (city) part of a region path: its first two levels."""
    parts = [p for p in path.split("/") if p]
    return "/" + "/".join(parts[:2]) + "/"


def board_matches(
    shortage: BoardPostFacts, offers: list[BoardPostFacts], *, max_km: float = 100.0
) -> list[tuple[BoardPostFacts, float | None]]:
    """Rule: offers that may help a shortage: same topic and material, another enterprise, and
    nearby (within `max_km` when both have coordinates, else the same city); nearest first."""
    out = []
    for offer in offers:
        if offer.enterprise == shortage.enterprise or offer.topic != shortage.topic:
            continue
        if material_key(offer.material) != material_key(shortage.material):
            continue
        km = distance_km(shortage, offer)
        if km is None:
            if city_path(offer.region_path) != city_path(shortage.region_path):
                continue
        elif km > max_km:
            continue
        out.append((offer, km))
    out.sort(key=lambda pair: (pair[1] is None, pair[1] or 0.0, pair[0].id))
    return out
