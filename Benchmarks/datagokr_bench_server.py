#!/usr/bin/env python3
"""A data.go.kr-style API on 127.0.0.1 for Benchmarks/fetch.sh: PAGES pages of ROWS generated
items (default 500 x 1000), as XML or as JSON (_type=json), paged by pageNo/numOfRows with
totalCount. The pages are rendered before the port is printed, so the server's own work is
only sending bytes. Usage: datagokr_bench_server.py [PAGES] [ROWS]
"""
import json
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PAGES = int(sys.argv[1]) if len(sys.argv) > 1 else 500
ROWS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
TOTAL = PAGES * ROWS
NAMES = ["설날", "삼일절", "어린이날", "현충일", "광복절", "추석", "개천절", "한글날", "기독탄신일"]


def item(n):
    return {
        "dateKind": "01",
        "dateName": NAMES[n % len(NAMES)],
        "isHoliday": "Y" if n % 3 else "N",
        "locdate": str(20000101 + (n % 28) + 100 * (n // 28 % 12) + 10000 * (n // 336 % 30)),
        "seq": str(n % 7 + 1),
    }


def xml_page(page):
    items = "".join(
        "<item>" + "".join(f"<{k}>{v}</{k}>" for k, v in item(n).items()) + "</item>"
        for n in range((page - 1) * ROWS, page * ROWS)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        "<response><header><resultCode>00</resultCode><resultMsg>NORMAL SERVICE.</resultMsg></header>"
        f"<body><items>{items}</items><numOfRows>{ROWS}</numOfRows><pageNo>{page}</pageNo>"
        f"<totalCount>{TOTAL}</totalCount></body></response>\n"
    ).encode()


def json_page(page):
    items = [dict(item(n), locdate=int(item(n)["locdate"]), seq=int(item(n)["seq"])) for n in range((page - 1) * ROWS, page * ROWS)]
    document = {
        "response": {
            "header": {"resultCode": "00", "resultMsg": "NORMAL SERVICE."},
            "body": {"items": {"item": items}, "numOfRows": ROWS, "pageNo": page, "totalCount": TOTAL},
        }
    }
    return json.dumps(document, ensure_ascii=False).encode()


XML = {page: xml_page(page) for page in range(1, PAGES + 1)}
# Past the last page: no items, as the service answers.
EMPTY_XML = (
    "<response><header><resultCode>00</resultCode><resultMsg>NORMAL SERVICE.</resultMsg></header>"
    f"<body><items/><numOfRows>{ROWS}</numOfRows><pageNo>{PAGES + 1}</pageNo><totalCount>{TOTAL}</totalCount>"
    "</body></response>\n"
).encode()
EMPTY_JSON = json.dumps(
    {"response": {"header": {"resultCode": "00", "resultMsg": "NORMAL SERVICE."},
                  "body": {"items": "", "numOfRows": ROWS, "pageNo": PAGES + 1, "totalCount": TOTAL}}}
).encode()
JSON = {page: json_page(page) for page in range(1, PAGES + 1)}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        query = parse_qs(urlparse(self.path).query)
        page = int(query.get("pageNo", ["1"])[0])
        as_json = query.get("_type", [""])[0] == "json"
        body = (JSON if as_json else XML).get(page) or (EMPTY_JSON if as_json else EMPTY_XML)
        self.send_response(200)
        self.send_header("Content-Type", "application/json" if as_json else "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
