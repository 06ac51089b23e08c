#!/usr/bin/env python3
"""Headless Chromium, a real RFC 8441 client, against `wsspec serve` over TLS: an echo, a 1 MiB message and a close
code, over HTTP/2, and the server's log must show that the WebSocket was an extended CONNECT on an HTTP/2 connection,
not an HTTP/1.1 upgrade.

    chromium_h2_check.py WSSPEC_BINARY

Chromium opens WebSockets over HTTP/2 only on a connection it already has to the server that enabled extended
CONNECT: the page first fetches from the server (its answer, a refusal, does not matter), then opens the WebSocket.
The page is driven and read through Chromium's DevTools protocol (the peers' venv has the `websockets` client).
Every step has a deadline; exit 0 when all holds, 1 with the reason otherwise.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

from websockets.sync.client import connect

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = """<!doctype html><html><body><pre id="out"></pre><script>
const server = "127.0.0.1:PORT";
const log = [];
function note(text) { log.push(text); document.getElementById("out").textContent = log.join("\\n"); }
function opened() {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket("wss://" + server + "/", "wsspec.echo");
    socket.binaryType = "arraybuffer";
    socket.onopen = () => resolve(socket);
    socket.onerror = () => reject(new Error("the WebSocket did not open"));
  });
}
function next(socket) { return new Promise(resolve => { socket.onmessage = event => resolve(event.data); }); }
(async () => {
  try {
    // An HTTP/2 connection to the server first: Chromium puts WebSockets on one it has.
    // With credentials, as a WebSocket request goes: the connection is then one Chromium may reuse for it.
    await fetch("https://" + server + "/", { mode: "no-cors", credentials: "include" }).catch(() => {});
    const socket = await opened();
    note("protocol " + socket.protocol);
    socket.send("hello over h2");
    note("echo " + (await next(socket)));
    const large = new Uint8Array(1 << 20).map((_, index) => index & 255);
    socket.send(large);
    const back = new Uint8Array(await next(socket));
    note("large " + back.length + " " + back.every((byte, index) => byte === (index & 255)));
    const closed = new Promise(resolve => { socket.onclose = event => resolve(event); });
    socket.close(4321, "bye");
    const event = await closed;
    note("close " + event.code + " " + event.wasClean);
  } catch (error) {
    note("failed: " + error);
  }
  note("DONE");
})();
</script></body></html>
"""
EXPECTED = ["protocol wsspec.echo", "echo hello over h2", "large 1048576 true", "close 4321 true", "DONE"]


def wait_for_line(stream_path, pattern, deadline, process):
    while time.monotonic() < deadline:
        with open(stream_path, errors="replace") as handle:
            match = re.search(pattern, handle.read())
        if match:
            return match
        if process.poll() is not None:
            return None
        time.sleep(0.1)
    return None


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    wsspec = sys.argv[1]
    chromium = os.environ.get("CHROMIUM", "chromium")
    work = tempfile.mkdtemp(prefix="wsspec-chromium-")
    server_log = os.path.join(work, "serve.log")
    browser_log = os.path.join(work, "chromium.log")
    processes = []
    try:
        server = subprocess.Popen(
            [wsspec, "serve", "--port", "0", "--verbose",
             "--tls-cert", os.path.join(HERE, "Fixtures/tls/server.pem"),
             "--tls-key", os.path.join(HERE, "Fixtures/tls/server-key.pem")],
            stdout=open(server_log, "w"), stderr=subprocess.STDOUT)
        processes.append(server)
        found = wait_for_line(server_log, r"wss://127\.0\.0\.1:(\d+)/", time.monotonic() + 20, server)
        if not found:
            return fail("wsspec serve did not start", server_log)
        port = found.group(1)
        page = os.path.join(work, "page.html")
        with open(page, "w") as handle:
            handle.write(PAGE.replace("PORT", port))
        browser = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--ignore-certificate-errors",
             "--no-first-run", "--remote-debugging-port=0", f"--user-data-dir={work}/profile", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=open(browser_log, "w"))
        processes.append(browser)
        found = wait_for_line(browser_log, r"DevTools listening on (ws://127\.0\.0\.1:(\d+)/\S+)", time.monotonic() + 30, browser)
        if not found:
            return fail("Chromium's DevTools did not start", browser_log)
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{found.group(2)}/json/list", timeout=10))
        target = next(t for t in targets if t.get("type") == "page")
        text = ""
        with connect(target["webSocketDebuggerUrl"], open_timeout=10, max_size=None) as devtools:
            ids = iter(range(1, 1 << 30))

            def call(method, **params):
                request_id = next(ids)
                devtools.send(json.dumps({"id": request_id, "method": method, "params": params}))
                while True:
                    answer = json.loads(devtools.recv(timeout=10))
                    if answer.get("id") == request_id:
                        return answer

            call("Page.navigate", url="file://" + page)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and "DONE" not in text:
                time.sleep(0.2)
                answer = call("Runtime.evaluate", expression="document.getElementById('out')?.textContent ?? ''")
                text = answer.get("result", {}).get("result", {}).get("value", "") or ""
        lines = text.splitlines()
        print("Chromium's page:", "; ".join(lines) or "(nothing)")
        if lines != EXPECTED:
            return fail(f"the page says {lines}, expected {EXPECTED}", server_log)
        with open(server_log, errors="replace") as handle:
            log = handle.read()
        streams = log.count("extended CONNECT")
        http1 = log.count("HTTP/1.1 connection")
        print(f"the server's log: {log.count('HTTP/2 connection')} HTTP/2 connection(s), {streams} extended CONNECT(s), "
              f"{http1} HTTP/1.1 connection(s)")
        if streams < 1 or http1 > 0:
            return fail("the WebSocket did not come over HTTP/2", server_log)
        print("Chromium: echo, a 1 MiB message and close code 4321 over HTTP/2 (RFC 8441): OK")
        return 0
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def fail(reason, log):
    print(f"Chromium over HTTP/2: {reason}", file=sys.stderr)
    with open(log, errors="replace") as handle:
        print(handle.read()[-3000:], file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
