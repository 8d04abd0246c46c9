#!/usr/bin/env python3
"""A data.go.kr-style API on loopback for Publica's fetch tests (127.0.0.1 only).

Serves the KASI SpcdeInfoService rest days of the saved real response
(datagokr/kasi/getRestDeInfo_2021.xml, Apache-2.0, see Fixtures/SOURCES.md) for the years
2019-2021 (45 items), paged by pageNo/numOfRows with totalCount, as XML or as JSON
(_type=json), and injects the faults named by the first path segment:

  ok          normal paging
  flaky       every page fails once with HTTP 500, then succeeds
  slow        page 2 answers after 3 s every time (past a short timeout)
  paced       every page answers after 0.2 s; /_requests counts the most pages in flight at once
  reset       page 2 closes the connection mid-body every time
  truncated   page 2 declares a longer body than it sends, every time
  gateway403  the gateway's XML error envelope (code 30) with HTTP 403, even for JSON
  quota3      resultCode 22 on page 3
  quota3once  resultCode 22 on page 3 the first time it is asked for, then success
  single      one item: items.item as a single object (JSON) / one <item> (XML)
  empty       totalCount 0 and items "" (JSON) / <items/> (XML)
  nodata      resultCode 03
  short       totalCount 50, but only the 45 items are served
  repeat      page 3 serves page 2 again
  badxml      page 2 has a broken element in the middle (XML)
  retry01     resultCode 01 on page 2 the first time, then success
  plain       /plain/file.csv: a plain file with an ETag and a Last-Modified date, answering
              If-None-Match / If-Modified-Since with 304 while it is unchanged
              (GET /_change makes a new version of it; /plaindate/file.csv sends no ETag;
              /plainclock/file.csv a new Last-Modified every time, and never a 304)

The key must be KEY (the "Decoding" form, sent percent-encoded once); any other is code 30.
Prints the port it listens on, then serves until killed (or, with --until-stdin-closes, until
its standard input closes). Counts requests per path in
GET /_requests (for the tests' checks).
"""
import json
import os
import signal
import socket
import sys
import threading
import time
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

KEY = "test+key/with=chars"
HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "datagokr", "kasi", "getRestDeInfo_2021.xml")

ITEMS = []
for year in (2019, 2020, 2021):
    for item in ET.parse(SOURCE).getroot().iter("item"):
        record = {child.tag: child.text for child in item}
        record["locdate"] = str(year) + record["locdate"][4:]
        ITEMS.append(record)

seen = {}
lock = threading.Lock()
version = 1
in_flight = 0


def count(key):
    with lock:
        seen[key] = seen.get(key, 0) + 1
        return seen[key]


def gateway(code, message):
    return (
        "<OpenAPI_ServiceResponse><cmmMsgHeader><errMsg>SERVICE ERROR</errMsg>"
        f"<returnAuthMsg>{message}</returnAuthMsg><returnReasonCode>{code}</returnReasonCode>"
        "</cmmMsgHeader></OpenAPI_ServiceResponse>"
    )


def xml_page(code, message, items, rows, page, total, broken=False):
    body = "".join(
        "<item>" + "".join(f"<{k}>{v}</{k}>" for k, v in item.items()) + "</item>" for item in items
    )
    if broken:
        body = body[: len(body) // 2] + "<dateName>broken</dateKind>" + body[len(body) // 2 :]
    items_xml = f"<items>{body}</items>" if items else "<items/>"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<response><header><resultCode>{code}</resultCode><resultMsg>{message}</resultMsg></header>"
        f"<body>{items_xml}<numOfRows>{rows}</numOfRows><pageNo>{page}</pageNo>"
        f"<totalCount>{total}</totalCount></body></response>\n"
    )


def json_page(code, message, items, rows, page, total, single=False):
    # As the real JSON does: numbers where the XML has digits (a code such as dateKind stays text).
    items = [dict(item, locdate=int(item["locdate"]), seq=int(item["seq"])) for item in items]
    if not items:
        item_value = ""
    else:
        item_value = {"item": items[0] if single and len(items) == 1 else items}
    document = {
        "response": {
            "header": {"resultCode": code, "resultMsg": message},
            "body": {"items": item_value, "numOfRows": rows, "pageNo": page, "totalCount": total},
        }
    }
    return json.dumps(document, ensure_ascii=False)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type, length=None):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length if length is not None else len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        parts = url.path.strip("/").split("/")
        fault = parts[0]
        if fault == "_requests":
            with lock:
                return self.send(200, json.dumps(seen), "application/json")
        if fault == "_change":
            global version
            with lock:
                version += 1
            return self.send(200, str(version), "text/plain")
        if fault in ("plain", "plaindate", "plainclock"):
            return self.plain(etagged=fault == "plain", clock=fault == "plainclock")
        query = parse_qs(url.query, keep_blank_values=True)
        as_json = query.get("_type", [""])[0] == "json"
        page = int(query.get("pageNo", ["1"])[0])
        rows = int(query.get("numOfRows", ["10"])[0])
        attempt = count(f"{fault}:{page}")
        if query.get("serviceKey", [""])[0] != KEY:
            return self.send(200, gateway(30, "SERVICE_KEY_IS_NOT_REGISTERED_ERROR"), "text/xml")
        if fault == "gateway403":
            return self.send(403, gateway(30, "SERVICE_KEY_IS_NOT_REGISTERED_ERROR"), "text/xml")
        if fault == "flaky" and attempt == 1:
            return self.send(500, "Internal Server Error", "text/plain")
        if fault == "slow" and page == 2:
            time.sleep(3)
        if fault == "paced":
            global in_flight
            with lock:
                in_flight += 1
                seen["most-in-flight"] = max(seen.get("most-in-flight", 0), in_flight)
            time.sleep(0.2)
            with lock:
                in_flight -= 1
        items = ITEMS
        total = len(items)
        if fault == "single":
            items, total = ITEMS[:1], 1
        if fault == "empty":
            items, total = [], 0
        if fault == "short":
            total = 50
        code, message = "00", "NORMAL SERVICE."
        if fault == "nodata":
            code, message, items, total = "03", "NODATA_ERROR", [], 0
        if (fault == "quota3" or (fault == "quota3once" and attempt == 1)) and page == 3:
            code, message = "22", "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"
        if fault == "retry01" and page == 2 and attempt == 1:
            code, message = "01", "APPLICATION_ERROR"
        served_page = 2 if fault == "repeat" and page == 3 else page
        chunk = items[(served_page - 1) * rows : served_page * rows] if code == "00" else []
        if as_json:
            body = json_page(code, message, chunk, rows, served_page, total, single=fault == "single")
            content_type = "application/json"
        else:
            body = xml_page(code, message, chunk, rows, served_page, total, broken=fault == "badxml" and page == 2)
            content_type = "text/xml;charset=UTF-8"
        if fault == "reset" and page == 2:
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
            return
        if fault == "truncated" and page == 2:
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data) + 100))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
            self.close_connection = True
            return
        self.send(200, body, content_type)

    def plain(self, etagged, clock=False):
        count("plain")
        with lock:
            current = version
        body = "code,name\n01,서울\n02,부산\n" + "".join("%02d,v%d\n" % (10 + v, v) for v in range(2, current + 1))
        etag = '"v%d"' % current
        modified = "Sun, 0%d Nov 2026 10:00:00 GMT" % current
        if clock:  # a server that gives the time of asking as Last-Modified: never a 304
            modified = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + count("clock")))
        unchanged = (
            self.headers.get("If-None-Match") == etag
            if etagged and self.headers.get("If-None-Match")
            else self.headers.get("If-Modified-Since") == modified
        )
        if unchanged:
            count("plain-304")
            self.send_response(304)
            if etagged:
                self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Last-Modified", modified)
        if etagged:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def exit_with_parent():
    """Ends the server when standard input closes: the test that started it is gone (even if it
    was killed before it could stop the server)."""
    while sys.stdin.buffer.read(4096):
        pass
    os._exit(0)


def main():
    # A test process that blocks SIGTERM in its threads passes the mask on (and a shell may
    # pass it on ignored): unblock it and restore its default, so terminating the server ends it.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    if "--until-stdin-closes" in sys.argv:
        threading.Thread(target=exit_with_parent, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
