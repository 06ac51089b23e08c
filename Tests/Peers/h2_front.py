"""An HTTP/2 proxy in front of an HTTP/1.1 echo server: WebSockets over cleartext HTTP/2 (RFC 8441, prior
knowledge) reach the proxy, which carries each to the backend as an HTTP/1.1 upgrade, as proxies in front of
application servers do.

    h2_front.py nghttpx|haproxy PYTHON_ECHO_SCRIPT

It starts the backend (one of Tests/Peers/*_echo.py, which prints its port), then the proxy (Debian's nghttpx or
HAProxy) on a free loopback port, waits until the proxy accepts connections, prints that port as its first line,
and serves until killed (it takes its children with it).
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def executable(name):
    """Debian puts both proxies in /usr/sbin, which a user's PATH may leave out."""
    return shutil.which(name) or os.path.join("/usr/sbin", name)


def proxy_command(kind, port, backend, folder):
    if kind == "nghttpx":
        return [executable("nghttpx"), f"--frontend=127.0.0.1,{port};no-tls", f"--backend=127.0.0.1,{backend}",
                "--workers=1", "--no-ocsp", "--conf=/dev/null", "--accesslog-file=/dev/null",
                "--errorlog-file=/dev/stderr", "--log-level=WARN", f"--pid-file={folder}/nghttpx.pid"]
    if kind == "haproxy":
        config = os.path.join(folder, "haproxy.cfg")
        with open(config, "w") as handle:
            handle.write(f"""global
    maxconn 4096
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 60s
frontend websockets
    bind 127.0.0.1:{port} proto h2
    default_backend echo
backend echo
    server echo 127.0.0.1:{backend}
""")
        return [executable("haproxy"), "-db", "-f", config]
    raise SystemExit(f"unknown proxy {kind!r}: nghttpx or haproxy")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    kind, script = sys.argv[1], sys.argv[2]
    children = []

    def stop(*_):
        for child in children:
            child.terminate()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    backend = subprocess.Popen([sys.executable, "-u", script, "0"], stdout=subprocess.PIPE, text=True)
    children.append(backend)
    backend_port = int(backend.stdout.readline().strip())
    folder = tempfile.mkdtemp(prefix=f"wsspec-{kind}-")
    port = free_port()
    # The proxy's own output goes to a file of its own: the first line of ours is the port.
    log = open(os.path.join(folder, f"{kind}.log"), "w")
    proxy = subprocess.Popen(proxy_command(kind, port, backend_port, folder), stdout=log, stderr=subprocess.STDOUT)
    children.append(proxy)
    for _ in range(200):
        if proxy.poll() is not None:
            raise SystemExit(f"{kind} exited with status {proxy.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        stop()
    print(port, flush=True)
    proxy.wait()
    stop()


if __name__ == "__main__":
    main()
