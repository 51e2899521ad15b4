#!/usr/bin/python3
"""The path an analyst would take instead of `endstate events import`:
pandas.read_csv on the GED file, then geopandas.sjoin of the points with the
polygons. Used by bench/ingest_bench.cpp in the same run, for a ratio.
Usage: pandas_sjoin.py EVENTS.csv POLYGONS.geojson"""
import sys

import geopandas as gpd
import pandas as pd


def main() -> int:
    events, polygons = sys.argv[1], sys.argv[2]
    df = pd.read_csv(events, low_memory=False)
    points = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]), crs="EPSG:4326")
    areas = gpd.read_file(polygons)
    areas = areas.rename(columns={"id": "area_id"})
    joined = gpd.sjoin(points, areas[["area_id", "geometry"]], how="left", predicate="intersects")
    # One owner per event, as endstate assigns (smallest id on shared boundaries).
    owners = joined.sort_values("area_id").groupby(level=0)["area_id"].first()
    print(len(df), int(owners.notna().sum()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
