#!/usr/bin/env python3
"""Deterministic generator of a Korean facility-subsidy registry CSV for Publica's benchmarks.

Standard library only; the same --rows and --seed give byte-identical files. Shape as in
the shared bench generator: 13 columns, Hangul names and addresses, codes with leading
zeros, amounts with thousands separators in quotes, dates in mixed formats, a Y/N column,
notes with commas, doubled quotes and embedded newlines.

Also writes a data.go.kr-shaped OpenAPI XML response with the first --xml-items records as
<item>s (entities, CDATA in notes), for the XML benchmark.

Usage: gen_registry.py --rows 1000000 --out /tmp/publica-bench [--cp949] [--xml-items 500000]
"""
import argparse
import csv
import json
import os
import random

REGIONS = [("서울특별시", "종로구", "11110", "02"), ("서울특별시", "강남구", "11680", "02"),
           ("부산광역시", "해운대구", "26350", "051"), ("대구광역시", "수성구", "27260", "053"),
           ("인천광역시", "연수구", "28185", "032"), ("광주광역시", "북구", "29170", "062"),
           ("대전광역시", "유성구", "30200", "042"), ("경기도", "성남시 분당구", "41135", "031"),
           ("강원특별자치도", "춘천시", "51110", "033"), ("제주특별자치도", "제주시", "50110", "064")]
CATEGORIES = ["경로당", "어린이집", "지역아동센터", "노인복지관", "작은도서관", "행정복지센터"]
PREFIX = ["행복", "사랑", "햇살", "푸른", "새싹", "무지개", "꿈나무", "희망", "한마음", "은빛"]
ROADS = ["세종대로", "테헤란로", "중앙로", "시청로", "문화로", "평화로", "번영로", "대학로"]
SURNAMES = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"]
GIVEN = ["민", "서", "지", "현", "준", "우", "예", "도", "하", "윤", "수", "영"]
NOTES = ["시설 보수, 장비 구입", "\"찾아가는 돌봄\" 프로그램 운영", "1차 지급 완료\n2차 지급 예정",
         "정산 완료", "", "", "냉난방비 지원\n(동절기, 하절기)", "신규 지정"]
FIELDS = ["연번", "시설명", "시설구분", "대표자명", "소재지도로명주소", "행정구역코드",
          "지원금액", "신청일자", "지급여부", "전화번호", "위도", "비고", "데이터기준일자"]


XML_TAGS = ["seq", "fcltyNm", "fcltySe", "rprsntvNm", "rdnmadr", "signguCode", "sportAmount",
            "reqstDe", "pymntAt", "telno", "la", "rm", "referenceDate"]


def write_xml(path, rows):
    def escape(text):
        return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
        handle.write("<response><header><resultCode>00</resultCode><resultMsg>NORMAL SERVICE.</resultMsg>"
                     "</header><body><items>\n")
        for row in rows:
            parts = []
            for tag, value in zip(XML_TAGS, row):
                if tag == "rm" and "\n" in str(value):
                    parts.append(f"<{tag}><![CDATA[{value}]]></{tag}>")
                else:
                    parts.append(f"<{tag}>{escape(value)}</{tag}>")
            handle.write("  <item>" + "".join(parts) + "</item>\n")
        handle.write(f"</items><numOfRows>{len(rows)}</numOfRows><pageNo>1</pageNo>"
                     f"<totalCount>{len(rows)}</totalCount></body></response>\n")
    return path


def schema():
    """The registry's Frictionless Table Schema (as the shared bench generator writes it)."""
    return {
        "fields": [
            {"name": "연번", "type": "integer", "constraints": {"required": True, "unique": True, "minimum": 1}},
            {"name": "시설명", "type": "string", "constraints": {"required": True, "maxLength": 100}},
            {"name": "시설구분", "type": "string", "constraints": {"required": True, "enum": CATEGORIES}},
            {"name": "대표자명", "type": "string", "constraints": {"pattern": "[가-힣]{2,5}"}},
            {"name": "소재지도로명주소", "type": "string", "constraints": {"required": True}},
            {"name": "행정구역코드", "type": "string", "constraints": {"required": True, "pattern": "[0-9]{5}"}},
            {"name": "지원금액", "type": "number", "groupChar": ",", "constraints": {"minimum": 0}},
            {"name": "신청일자", "type": "string", "constraints": {"required": True, "pattern": "[0-9]{4}[.-]?[0-9]{2}[.-]?[0-9]{2}"}},
            {"name": "지급여부", "type": "boolean", "trueValues": ["Y"], "falseValues": ["N"], "constraints": {"required": True}},
            {"name": "전화번호", "type": "string", "constraints": {"pattern": "0[0-9]{1,2}-[0-9]{3,4}-[0-9]{4}"}},
            {"name": "위도", "type": "number", "constraints": {"minimum": 33, "maximum": 39}},
            {"name": "비고", "type": "string"},
            {"name": "데이터기준일자", "type": "date", "constraints": {"required": True}},
        ],
        "missingValues": [""],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20241127)
    parser.add_argument("--out", default="/tmp/publica-bench")
    parser.add_argument("--cp949", action="store_true")
    parser.add_argument("--xml-items", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    path = os.path.join(args.out, f"registry_{args.rows}.csv")
    xml_rows = []
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(FIELDS)
        for index in range(1, args.rows + 1):
            sido, sigungu, code, area = REGIONS[rng.randrange(len(REGIONS))]
            category = CATEGORIES[rng.randrange(len(CATEGORIES))]
            name = f"{PREFIX[rng.randrange(len(PREFIX))]}{category}"
            owner = SURNAMES[rng.randrange(len(SURNAMES))] + GIVEN[rng.randrange(12)] + GIVEN[rng.randrange(12)]
            address = f"{sido} {sigungu} {ROADS[rng.randrange(len(ROADS))]} {rng.randrange(1, 300)}"
            if rng.random() < 0.2:
                address += f", {rng.randrange(1, 10)}층"
            amount = f"{rng.randrange(100, 50000) * 1000:,}"
            year, month, day = rng.randrange(2019, 2025), rng.randrange(1, 13), rng.randrange(1, 29)
            style = rng.randrange(3)
            date = (f"{year}.{month:02d}.{day:02d}", f"{year}-{month:02d}-{day:02d}", f"{year}{month:02d}{day:02d}")[style]
            phone = f"{area}-{rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}"
            latitude = f"{33 + rng.random() * 5:.6f}"
            row = [index, name, category, owner, address, code, amount, date,
                   "Y" if rng.random() < 0.7 else "N", phone, latitude,
                   NOTES[rng.randrange(len(NOTES))], "2024-06-30"]
            writer.writerow(row)
            if index <= args.xml_items:
                xml_rows.append(row)
    print(path)
    with open(os.path.join(args.out, "registry.schema.json"), "w", encoding="utf-8") as handle:
        json.dump(schema(), handle, ensure_ascii=False, indent=2)
    if args.xml_items:
        print(write_xml(os.path.join(args.out, f"openapi_{args.xml_items}.xml"), xml_rows))
    if args.cp949:
        cp949 = os.path.join(args.out, f"registry_{args.rows}.cp949.csv")
        with open(path, encoding="utf-8") as source, open(cp949, "w", encoding="cp949", newline="") as target:
            for chunk in iter(lambda: source.read(1 << 20), ""):
                target.write(chunk)
        print(cp949)


if __name__ == "__main__":
    main()
