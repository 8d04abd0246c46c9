#!/usr/bin/env python3
"""The peers of `publica run` on a paged data.go.kr API (Benchmarks/fetch.sh):
  dlt BASE PAGES ROWS OUT      dlt's REST API source, its page-number paginator, into JSONL files
  requests BASE PAGES ROWS OUT a plain requests loop over the XML pages with xml.etree, into CSV
"""
import csv
import sys


def run_dlt(base, pages, rows, out):
    import dlt
    from dlt.sources.helpers.rest_client.paginators import PageNumberPaginator
    from dlt.sources.rest_api import rest_api_source

    source = rest_api_source({
        "client": {"base_url": base},
        "resources": [{
            "name": "holidays",
            "endpoint": {
                "path": "getRestDeInfo",
                "params": {"serviceKey": "bench", "numOfRows": rows, "_type": "json"},
                "paginator": PageNumberPaginator(
                    base_page=1, page_param="pageNo", total_path=None, maximum_page=pages + 1),  # exclusive
                "data_selector": "response.body.items.item",
            },
        }],
    })
    pipeline = dlt.pipeline(
        pipeline_name="publica_bench", destination=dlt.destinations.filesystem(out), dataset_name="bench",
        pipelines_dir=out + "/.dlt")
    info = pipeline.run(source, loader_file_format="jsonl")
    print(info, file=sys.stderr)


def run_requests(base, pages, rows, out):
    import xml.etree.ElementTree as ET

    import requests

    session = requests.Session()
    with open(out + "/holidays.csv", "w", newline="", encoding="utf-8") as file:
        writer = None
        page, total = 1, None
        while total is None or (page - 1) * rows < total:
            response = session.get(base + "/getRestDeInfo",
                                   params={"serviceKey": "bench", "numOfRows": rows, "pageNo": page}, timeout=30)
            response.raise_for_status()
            root = ET.fromstring(response.content)
            if root.findtext("header/resultCode") not in ("00", "0"):
                sys.exit(f"page {page}: resultCode {root.findtext('header/resultCode')}")
            total = int(root.findtext("body/totalCount"))
            for item in root.iter("item"):
                record = {child.tag: child.text for child in item}
                if writer is None:
                    writer = csv.DictWriter(file, fieldnames=list(record))
                    writer.writeheader()
                writer.writerow(record)
            page += 1


if __name__ == "__main__":
    mode, base, pages, rows, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    {"dlt": run_dlt, "requests": run_requests}[mode](base, pages, rows, out)
