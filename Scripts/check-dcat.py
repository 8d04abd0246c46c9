#!/usr/bin/env python3
"""Checks dcat.jsonld files against the DCAT-AP 3.0.0 SHACL shapes (pyshacl, from PyPI).

    python3 Scripts/check-dcat.py FILE_OR_FOLDER...

A folder is searched for dcat.jsonld files. Each file must conform to the aggregated shapes
(dcat-ap-SHACL.ttl) with no violation, and to the separate shapes (shapes.ttl with range.ttl)
with no violation but the known dcat:byteSize datatype discrepancy of DCAT-AP 3.0.0
(SEMICeu/DCAT-AP issues 399, 422; see Tests/PublicaTestSupport/Fixtures/SOURCES.md). Warnings
(recommended properties) are listed, not counted. Exits 1 when any file fails, 2 when none is found.
"""
import os
import sys

from pyshacl import validate
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

SHAPES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "PublicaTestSupport", "Fixtures", "dcat-ap")
SH = Namespace("http://www.w3.org/ns/shacl#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")


def shapes(name):
    return Graph().parse(os.path.join(SHAPES, name))


def violations(data, shape_graph, ontology=None):
    _, report, _ = validate(data, shacl_graph=shape_graph, ont_graph=ontology, inference="none", allow_warnings=True)
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        found.append((report.value(result, SH.resultPath), report.value(result, SH.focusNode),
                      str(report.value(result, SH.resultMessage))))
    return found


def check(path, aggregated, separate, ranges):
    data = Graph().parse(path, format="json-ld")
    if not any(data.subjects(RDF.type, DCAT.Dataset)):
        return ["no dcat:Dataset"]
    problems = [f"{p} of {f}: {m}" for p, f, m in violations(data, aggregated)]
    problems += [f"{p} of {f}: {m} (separate shapes)" for p, f, m in violations(data, separate, ranges)
                 if p != DCAT.byteSize]
    return problems


def main(arguments):
    files = []
    for argument in arguments:
        if os.path.isdir(argument):
            for root, _, names in os.walk(argument):
                files += [os.path.join(root, n) for n in names if n == "dcat.jsonld"]
        else:
            files.append(argument)
    if not files:
        print("check-dcat: no dcat.jsonld found", file=sys.stderr)
        return 2
    aggregated, separate, ranges = shapes("dcat-ap-3.0.0-SHACL.ttl"), shapes("dcat-ap-3.0.0-shapes.ttl"), shapes("dcat-ap-3.0.0-range.ttl")
    failed = 0
    for path in sorted(files):
        problems = check(path, aggregated, separate, ranges)
        print(("FAIL " if problems else "ok   ") + path)
        for problem in problems:
            print("  " + problem)
        failed += bool(problems)
    print(f"check-dcat: {len(files) - failed} of {len(files)} conform to DCAT-AP 3.0.0")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
