"""Datasette on 127.0.0.1 for Publica's tests: serves the databases given (with --metadata FILE
if given) on a free port, prints the port once Datasette answers, and stops when its standard
input closes (the test is done) or when killed.

    python3 datasette_server.py --until-stdin-closes [--metadata metadata.json] DB...
"""
import socket
import subprocess
import sys
import threading
import time
import urllib.request


def main():
    args = [a for a in sys.argv[1:] if a != "--until-stdin-closes"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--setting", "sql_time_limit_ms", "5000", *args],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2).read()
            break
        except OSError:
            if server.poll() is not None:
                sys.exit("datasette exited")
            time.sleep(0.2)
    print(port, flush=True)

    def wait_for_stdin():
        sys.stdin.read()
        server.terminate()

    if "--until-stdin-closes" in sys.argv:
        threading.Thread(target=wait_for_stdin, daemon=True).start()
    server.wait()


if __name__ == "__main__":
    main()
