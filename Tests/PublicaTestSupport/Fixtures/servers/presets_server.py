#!/usr/bin/env python3
"""odcloud, Seoul Open Data and KOSIS on loopback for Publica's preset tests (127.0.0.1 only).

Serves generated records in the documented shapes of the three services, with their real
paging, and injects the faults named by the first path segment (the second names the service):

  /FAULT/odcloud/api/15000001/v1/uddi:test?page=N&perPage=M&serviceKey=K
      {"page","perPage","totalCount","currentCount","matchCount","data":[...]}; a wrong key is
      {"code":-4,"msg":"..."} with HTTP 401
  /FAULT/seoul/KEY/json|xml/TestStats/START/END/[ARGS]
      {"TestStats":{"list_total_count":N,"RESULT":{"CODE":"INFO-000","MESSAGE":...},"row":[...]}}
      (XML alike); a wrong key is INFO-100, more than 1000 rows ERROR-336, no data a top-level
      {"RESULT":{"CODE":"INFO-200",...}}
  /FAULT/kosis/openapi/Param/statisticsParameterData.do?method=getList&apiKey=K&format=json&jsonVD=Y
      a JSON array of rows, or {"err":"NN","errMsg":"..."}; a wrong key is err 11

Faults:
  ok        normal paging
  flaky     every page fails once with HTTP 500, then succeeds
  quota2    page 2 answers the daily limit (Seoul ERROR-337; odcloud HTTP 429 {"code":-10}; KOSIS err 40)
  nodata    no data (Seoul INFO-200; odcloud totalCount 0; KOSIS err 30)
  short     the total says 50, but only the 45 records are served
  repeat    page 3 serves page 2 again
  retry     the first request answers the service's server error (ERROR-500, err 50), then success
  toomany   KOSIS err 31 (more than 40,000 cells); Seoul/odcloud: a request error (ERROR-310, HTTP 400)
  unquoted  KOSIS err 30 written with unquoted keys, as without jsonVD=Y

The key must be KEY; the Seoul key is a path segment (percent-encoded there). Prints the port
it listens on, then serves until killed (or, with --until-stdin-closes, until its standard
input closes). Counts requests per fault and page in GET /_requests.
"""
import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

KEY = "test+key/with=chars"
DISTRICTS = ["종로구", "중구", "용산구", "성동구", "광진구"]
RECORDS = [
    {"id": i, "name": f"시설 {i}", "district": DISTRICTS[i % 5], "count": i * 7 % 31} for i in range(1, 46)
]

seen = {}
lock = threading.Lock()


def count(key):
    with lock:
        seen[key] = seen.get(key, 0) + 1
        return seen[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/json;charset=UTF-8"):
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_json(self, value, status=200):
        self.send(status, json.dumps(value, ensure_ascii=False))

    def do_GET(self):
        url = urlparse(self.path)
        raw = url.path.strip("/").split("/")
        parts = [unquote(part) for part in raw]
        if parts[0] == "_requests":
            with lock:
                return self.send_json(seen)
        fault, service = parts[0], parts[1] if len(parts) > 1 else ""
        query = parse_qs(url.query, keep_blank_values=True)
        if service == "odcloud":
            return self.odcloud(fault, query)
        if service == "seoul":
            return self.seoul(fault, parts[2:])
        if service == "kosis":
            return self.kosis(fault, query)
        self.send(404, "no such service", "text/plain")

    def odcloud(self, fault, query):
        page = int(query.get("page", ["1"])[0])
        per_page = int(query.get("perPage", ["10"])[0])
        attempt = count(f"odcloud:{fault}:{page}")
        if query.get("serviceKey", [""])[0] != KEY:
            return self.send_json({"code": -4, "msg": "등록되지 않은 인증키 입니다."}, 401)
        if fault == "flaky" and attempt == 1:
            return self.send(500, "Internal Server Error", "text/plain")
        if fault == "quota2" and page == 2:
            return self.send_json({"code": -10, "msg": "API rate limit exceeded"}, 429)
        if fault == "toomany":
            return self.send_json({"code": -2, "msg": "잘못된 요청 파라미터: perPage"}, 400)
        records, total = RECORDS, len(RECORDS)
        if fault == "nodata":
            records, total = [], 0
        if fault == "short":
            total = 50
        served = 2 if fault == "repeat" and page == 3 else page
        chunk = records[(served - 1) * per_page : served * per_page]
        self.send_json(
            {"page": served, "perPage": per_page, "totalCount": total, "currentCount": len(chunk),
             "matchCount": total, "data": chunk})

    def seoul(self, fault, parts):
        if len(parts) < 5:
            return self.seoul_result(None, "ERROR-300", "필수 값이 누락되어 있습니다.", "json")
        key, kind, name, start, end = parts[:5]
        kind = kind if kind in ("json", "xml") else "json"
        start, end = int(start), int(end)
        rows = 1000
        page = (start - 1) // max(end - start + 1, 1) + 1
        attempt = count(f"seoul:{fault}:{start}")
        if key != KEY:
            return self.seoul_result(None, "INFO-100", "인증키가 유효하지 않습니다.", kind)
        if end - start + 1 > rows:
            return self.seoul_result(name, "ERROR-336", "데이터요청은 한번에 최대 1000건을 넘을 수 없습니다.", kind)
        if fault == "flaky" and attempt == 1:
            return self.send(500, "Internal Server Error", "text/plain")
        if fault == "retry" and attempt == 1:
            return self.seoul_result(name, "ERROR-500", "서버 오류입니다.", kind)
        if fault == "quota2" and page == 2:
            return self.seoul_result(None, "ERROR-337", "일일 트래픽 제한을 초과하였습니다.", kind)
        if fault == "toomany":
            return self.seoul_result(None, "ERROR-310", "해당하는 서비스를 찾을 수 없습니다.", kind)
        if fault == "nodata":
            return self.seoul_result(None, "INFO-200", "해당하는 데이터가 없습니다.", kind)
        total = 50 if fault == "short" else len(RECORDS)
        if fault == "repeat" and page == 3:
            start, end = start - (end - start + 1), start - 1
        chunk = RECORDS[start - 1 : end]
        result = {"CODE": "INFO-000", "MESSAGE": "정상 처리되었습니다"}
        if kind == "json":
            return self.send_json({name: {"list_total_count": total, "RESULT": result, "row": chunk}})
        rows_xml = "".join(
            "<row>" + "".join(f"<{k}>{v}</{k}>" for k, v in record.items()) + "</row>" for record in chunk)
        self.send(
            200,
            f'<?xml version="1.0" encoding="UTF-8"?>\n<{name}><list_total_count>{total}</list_total_count>'
            f"<RESULT><CODE>INFO-000</CODE><MESSAGE>정상 처리되었습니다</MESSAGE></RESULT>{rows_xml}</{name}>",
            "text/xml;charset=UTF-8")

    def seoul_result(self, name, code, message, kind):
        if kind == "xml":
            return self.send(
                200,
                f'<?xml version="1.0" encoding="UTF-8"?>\n<RESULT><CODE>{code}</CODE><MESSAGE><![CDATA[{message}]]>'
                "</MESSAGE></RESULT>", "text/xml;charset=UTF-8")
        self.send_json({"RESULT": {"CODE": code, "MESSAGE": message}})

    def kosis(self, fault, query):
        attempt = count(f"kosis:{fault}")
        if query.get("apiKey", [""])[0] != KEY:
            return self.send_json({"err": "11", "errMsg": "인증KEY 기간만료"})
        errors = {"nodata": ("30", "데이터가 존재하지 않습니다."), "toomany": ("31", "조회결과 초과"),
                  "quota2": ("40", "호출가능건수 제한")}
        if fault == "flaky" and attempt == 1:
            return self.send(500, "Internal Server Error", "text/plain")
        if fault == "retry" and attempt == 1:
            return self.send_json({"err": "50", "errMsg": "서버오류"})
        if fault == "unquoted":
            return self.send(200, '{err:"30",errMsg:"데이터가 존재하지 않습니다."}')
        if fault in errors:
            code, message = errors[fault]
            return self.send_json({"err": code, "errMsg": message})
        rows = [
            {"ORG_ID": "101", "TBL_ID": "DT_TEST", "C1": f"{i:02d}", "C1_NM": DISTRICTS[i % 5], "ITM_ID": "T1",
             "PRD_SE": "Y", "PRD_DE": "2023", "DT": str(i * 7 % 31)}
            for i in range(1, 13)
        ]
        self.send_json(rows)


def exit_with_parent():
    """Ends the server when standard input closes: the test that started it is gone."""
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
