#!/usr/bin/env python3
"""Writes the registry CSV of gen_registry.py as a typed .xlsx workbook, for Benchmarks/xlsx.sh.

13 columns, one sheet, shared strings (as Excel saves them): 연번 integer, text columns as
strings, 행정구역코드 and 전화번호 as text cells in an `@` column (codes keep their zeros),
지원금액 an integer with `#,##0`, 위도 a decimal, 신청일자 and 데이터기준일자 dates (`yyyy-mm-dd`).

Written with XlsxWriter (PyPI). Its default mode writes shared strings but holds the sheet in
memory (a few GiB for a million rows); --constant-memory streams it with inline strings.

Usage: gen_xlsx.py REGISTRY.csv OUT.xlsx [--constant-memory]
"""
import argparse
import csv
import datetime

import xlsxwriter

TEXT_CODES = {"행정구역코드", "전화번호"}


def parse_date(text):
    digits = text.replace(".", "").replace("-", "")
    return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("out")
    parser.add_argument("--constant-memory", action="store_true")
    args = parser.parse_args()
    book = xlsxwriter.Workbook(args.out, {"constant_memory": args.constant_memory, "strings_to_numbers": False})
    sheet = book.add_worksheet("registry")
    text = book.add_format({"num_format": "@"})
    amount = book.add_format({"num_format": "#,##0"})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    with open(args.csv, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        sheet.write_row(0, 0, header)
        column = {name: index for index, name in enumerate(header)}
        for name in TEXT_CODES:
            sheet.set_column(column[name], column[name], None, text)
        writers = []
        for name in header:
            if name == "연번":
                writers.append(lambda r, c, v: sheet.write_number(r, c, int(v)))
            elif name == "지원금액":
                writers.append(lambda r, c, v: sheet.write_number(r, c, int(v.replace(",", "")), amount))
            elif name == "위도":
                writers.append(lambda r, c, v: sheet.write_number(r, c, float(v)))
            elif name in ("신청일자", "데이터기준일자"):
                writers.append(lambda r, c, v: sheet.write_datetime(r, c, parse_date(v), date))
            elif name in TEXT_CODES:
                writers.append(lambda r, c, v: sheet.write_string(r, c, v, text))
            else:
                writers.append(lambda r, c, v: sheet.write_string(r, c, v) if v else None)
        for row, values in enumerate(reader, start=1):
            for index, value in enumerate(values):
                writers[index](row, index, value)
    book.close()
    print(args.out)


if __name__ == "__main__":
    main()
