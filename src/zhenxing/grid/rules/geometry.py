"""GeoJSON polygons (RFC 7946) without a GIS library: parse and check a boundary, and test
points against it. Coordinates are ``[longitude, latitude]`` in WGS 84.

A village is a few kilometres across, so planar ray casting on degrees is exact enough (the
error is far below a house's width); the checks refuse what would make it wrong: rings that
are not closed, fewer than four positions, coordinates outside their ranges, self-crossing.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from django.utils.translation import gettext as _

from zhenxing.core.errors import DomainError

Point = tuple[float, float]  # (longitude, latitude)
Ring = list[Point]

#: A village grid's boundary has at most this many positions (a hand-drawn one has tens).
MAX_POSITIONS = 5000


def _invalid(reason: str) -> DomainError:
    return DomainError(
        _("The boundary is not a valid GeoJSON polygon: %(reason)s") % {"reason": reason},
        field="boundary",
    )


def parse_polygon(value: Any) -> dict[str, Any]:
    """A boundary as a GeoJSON Polygon geometry, from text, a geometry, a Feature or a
    FeatureCollection of one polygon; anything else is a :class:`DomainError` saying why."""
    if isinstance(value, str | bytes):
        try:
            value = json.loads(value)
        except ValueError:
            raise _invalid(_("it is not JSON")) from None
    if not isinstance(value, dict):
        raise _invalid(_("it is not a JSON object"))
    if value.get("type") == "FeatureCollection":
        features = value.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise _invalid(_("a collection must hold exactly one feature"))
        value = features[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") != "Polygon":
        raise _invalid(_("its type is not Polygon"))
    rings = value.get("coordinates")
    if not isinstance(rings, list) or not rings:
        raise _invalid(_("it has no coordinates"))
    clean: list[list[list[float]]] = []
    total = 0
    for ring in rings:
        points = _ring(ring)
        total += len(points)
        clean.append([[lng, lat] for lng, lat in points])
    if total > MAX_POSITIONS:
        raise _invalid(_("more than %(n)d positions") % {"n": MAX_POSITIONS})
    if _self_crossing(_as_points(clean[0])):
        raise _invalid(_("its outline crosses itself"))
    return {"type": "Polygon", "coordinates": clean}


def _ring(ring: Any) -> Ring:
    if not isinstance(ring, list) or len(ring) < 4:
        raise _invalid(_("a ring needs at least four positions"))
    points: Ring = []
    for position in ring:
        if (
            not isinstance(position, list | tuple)
            or len(position) < 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in position)
        ):
            raise _invalid(_("a position is not [longitude, latitude]"))
        lng, lat = float(position[0]), float(position[1])
        if not (-180 <= lng <= 180 and -90 <= lat <= 90):
            raise _invalid(_("a position is outside longitude −180…180 or latitude −90…90"))
        points.append((lng, lat))
    if points[0] != points[-1]:
        raise _invalid(_("a ring must end where it starts"))
    return points


def _as_points(ring: list[list[float]]) -> Ring:
    return [(p[0], p[1]) for p in ring]


def _cross(o: Point, a: Point, b: Point) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    d1, d2 = _cross(q1, q2, p1), _cross(q1, q2, p2)
    d3, d4 = _cross(p1, p2, q1), _cross(p1, p2, q2)
    return ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and 0 not in (d1, d2, d3, d4)


def _self_crossing(ring: Ring) -> bool:
    edges = list(itertools.pairwise(ring))
    if len(edges) > 400:  # a long traced outline: quadratic check skipped, positions checked
        return False
    for i, (a, b) in enumerate(edges):
        for j in range(i + 2, len(edges)):
            if i == 0 and j == len(edges) - 1:
                continue  # the first and last edges meet at the closing position
            c, d = edges[j]
            if _segments_cross(a, b, c, d):
                return True
    return False


def _in_ring(point: Point, ring: list[list[float]]) -> bool:
    x, y = point
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(polygon: dict[str, Any], point: Point) -> bool:
    """Whether ``point`` lies inside ``polygon`` (inside the outer ring, outside every hole)."""
    outer, *holes = polygon["coordinates"]
    return _in_ring(point, outer) and not any(_in_ring(point, hole) for hole in holes)


def lies_within(inner: dict[str, Any], outer: dict[str, Any]) -> bool:
    """Whether every position of ``inner``'s outline lies inside ``outer`` (a grid inside its
    village: positions are tested, which is what a drawn boundary can get wrong)."""
    return all(contains(outer, (p[0], p[1])) for p in inner["coordinates"][0])


def bounds(polygon: dict[str, Any]) -> tuple[float, float, float, float]:
    """``(min_lng, min_lat, max_lng, max_lat)`` of the outer ring: a cheap first filter."""
    ring = polygon["coordinates"][0]
    lngs = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    return min(lngs), min(lats), max(lngs), max(lats)
