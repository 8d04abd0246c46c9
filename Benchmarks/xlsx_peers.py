#!/usr/bin/env python3
"""The peers of Benchmarks/xlsx.sh: the workbook's first sheet as NDJSON, one object a row keyed
by the header row, as `publica convert book.xlsx out.ndjson` writes it.

Usage: xlsx_peers.py openpyxl|calamine BOOK.xlsx OUT.ndjson

openpyxl reads with read_only=True (streaming); calamine is python-calamine's iter_rows.
Dates become ISO text, whole floats integers (calamine gives 1.0 for 1), empty cells null.
"""
import datetime
import json
import sys


def plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        if isinstance(value, datetime.datetime) and value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == "":
        return None
    return value


def rows(tool, path):
    if tool == "openpyxl":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        yield from book.worksheets[0].iter_rows(values_only=True)
        book.close()
    else:
        from python_calamine import CalamineWorkbook

        yield from CalamineWorkbook.from_path(path).get_sheet_by_index(0).iter_rows()


def main():
    tool, path, out = sys.argv[1:4]
    source = rows(tool, path)
    header = [str(name) for name in next(source)]
    dumps = json.dumps
    with open(out, "w", encoding="utf-8") as handle:
        write = handle.write
        for row in source:
            write(dumps(dict(zip(header, map(plain, row))), ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
