#!/usr/bin/env python3
"""The SQLite peers of Benchmarks/sqlite.sh: a CSV into a new SQLite table.

    sqlite_peers.py sqlite-utils CSV DB     sqlite-utils insert --csv --detect-types
    sqlite_peers.py duckdb CSV DB           DuckDB's sqlite extension: CREATE TABLE AS read_csv
"""
import os
import subprocess
import sys

tool, source, database = sys.argv[1:4]
if os.path.exists(database):
    os.remove(database)
if tool == "sqlite-utils":
    # sqlite-utils 4 detects column types by default (and has no --detect-types); 3 needs the flag.
    usage = subprocess.run(["sqlite-utils", "insert", "--help"], capture_output=True, text=True).stdout
    detect = ["--detect-types"] if "--detect-types" in usage else []
    subprocess.run(["sqlite-utils", "insert", database, "registry", source, "--csv"] + detect, check=True)
elif tool == "duckdb":
    import duckdb
    connection = duckdb.connect()
    connection.execute("LOAD sqlite")  # the extension must be installed already (no network here)
    connection.execute(f"ATTACH '{database}' AS target (TYPE SQLITE)")
    connection.execute(f"CREATE TABLE target.registry AS SELECT * FROM read_csv('{source}')")
else:
    sys.exit(f"unknown tool {tool}")
