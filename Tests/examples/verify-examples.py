#!/usr/bin/env python3
"""The example pipelines' tidy tables, computed again with pandas from the same files.

Usage: verify-examples.py PUBLICA_BINARY
Runs each example pipeline into a temporary folder with the given binary, then reads the
original download with pandas, reshapes it the way a person would by hand, and compares the
two tables as multisets of rows (the row order of a melt differs from Publica's, row by row).
"""
import os
import subprocess
import sys
import tempfile

import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.path.join(ROOT, "SampleData")


def run(binary, pipeline, out):
    env = dict(os.environ, PUBLICA_OUT=out)
    done = subprocess.run([binary, "run", os.path.join(ROOT, "Pipelines", pipeline), "-q"], env=env)
    if done.returncode != 0:
        sys.exit(f"{pipeline}: publica exited {done.returncode}")


def published(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def same(name, expected, actual):
    columns = list(expected.columns)
    if list(actual.columns) != columns:
        print(f"FAIL {name}: columns {list(actual.columns)} != {columns}")
        return False
    want = sorted(map(tuple, expected.astype(str).values.tolist()))
    got = sorted(map(tuple, actual[columns].astype(str).values.tolist()))
    if want != got:
        missing = [row for row in want if row not in set(got)][:3]
        extra = [row for row in got if row not in set(want)][:3]
        print(f"FAIL {name}: {len(got)} rows, pandas has {len(want)}; missing {missing}, extra {extra}")
        return False
    print(f"ok   {name}: {len(got)} rows, as pandas computes them")
    return True


def mois(out):
    wide = pd.read_csv(os.path.join(SAMPLES, "mois-gangwon-5age-2018-2020.csv"), encoding="cp949", dtype=str)
    long = wide.melt(id_vars=["행정구역"], var_name="item", value_name="population")
    parts = long["item"].str.split("_", expand=True)
    long["year"] = parts[0].str.replace("년$", "", regex=True)
    long["sex"], long["age_group"] = parts[1], parts[2]
    long = long[~long["age_group"].isin(["총인구수", "연령구간인구수"])]
    region = long["행정구역"].str.extract(r"^(.*?)\s*\((\d{10})\)$")
    long["region_name"], long["region_code"] = region[0].str.strip(), region[1]
    long["population"] = long["population"].str.replace(",", "").astype(int)
    population = long[["region_code", "region_name", "year", "sex", "age_group", "population"]]
    regions = wide["행정구역"].str.extract(r"^(.*?)\s*\((\d{10})\)$")
    regions = pd.DataFrame({"region_code": regions[1], "region_name": regions[0].str.strip()})
    folder = os.path.join(out, "mois-gangwon-population")
    return same("mois population", population, published(os.path.join(folder, "population.csv"))) & same(
        "mois regions", regions, published(os.path.join(folder, "regions.csv")))


def kosis(out):
    table = pd.read_csv(
        os.path.join(SAMPLES, "kosis-population-two-row-header.csv"), encoding="cp949", header=[0, 1], dtype=str)
    rows = []
    for _, record in table.iterrows():
        region = record.iloc[0]
        for (period, label), value in list(record.items())[1:]:
            item, unit = label.rsplit(" (", 1)
            # X: withheld for confidentiality, published as missing
            rows.append((region, period, item, unit.rstrip(")"), "" if value in ("X", "-") else str(int(value))))
    expected = pd.DataFrame(rows, columns=["region", "period", "item", "unit", "value"])
    return same("kosis census", expected, published(os.path.join(out, "kosis-census-2017", "census.csv")))


def weather(out):
    # As the portal's readers are told to do by hand: skip the 9 preamble lines, strip the tabs.
    table = pd.read_csv(os.path.join(SAMPLES, "weather-portal-export.csv"), encoding="cp949", skiprows=9, dtype=str)
    table.columns = [column.strip() for column in table.columns]
    table = table.apply(lambda column: column.str.strip()).dropna(how="all")
    table.columns = ["station", "station_name", "date", "mean_c", "min_c", "max_c"]
    return same("weather portal", table, published(os.path.join(out, "weather-portal", "weather-portal.csv")))


def packages(out):
    """Each release's datapackage.json through frictionless (its foreign keys across resources too)."""
    try:
        import frictionless
    except ImportError:
        print("skip data packages: frictionless is not installed")
        return True
    ok = True
    for name in ["mois-gangwon-population", "kosis-census-2017", "weather-portal"]:
        folder = os.path.join(out, name)
        # frictionless refuses absolute paths as "not safe": validate from inside the folder.
        report = subprocess.run(
            [sys.executable, "-c", "import frictionless; r = frictionless.validate('datapackage.json'); "
             "print(r.valid); [print(e.message) for t in r.tasks for e in t.errors][:5]"],
            cwd=folder, capture_output=True, text=True)
        valid = report.stdout.startswith("True")
        print(("ok   " if valid else "FAIL ") + f"{name}/datapackage.json: frictionless says "
              + ("valid" if valid else report.stdout + report.stderr[-500:]))
        ok &= valid
    return ok


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as out:
        for pipeline in ["mois-gangwon-population.yaml", "kosis-census-2017.yaml", "weather-portal.yaml"]:
            run(binary, pipeline, out)
        ok = mois(out) & kosis(out) & weather(out) & packages(out)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
