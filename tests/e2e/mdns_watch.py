"""Watch Mektep nodes from a "classroom PC": print {instance name: [addresses]} on each change.

Run by the LAN tests inside a namespace; a python-zeroconf browser that keeps its cache, so
it shows what a long-running client believes (stale records included, until withdrawn).
"""

import json
import sys
import threading
import time

from zeroconf import IPVersion, ServiceBrowser, ServiceInfo, ServiceStateChange, Zeroconf

SERVICE_TYPE = "_http._tcp.local."
SUBTYPE = "_mektep._sub._http._tcp.local."


def main() -> None:
    zc = Zeroconf(ip_version=IPVersion.V4Only)
    names: set[str] = set()
    lock = threading.Lock()

    def on_change(zeroconf, service_type, name, state_change):
        with lock:
            if state_change is ServiceStateChange.Removed:
                names.discard(name)
            else:
                names.add(name)

    browser = ServiceBrowser(zc, [SUBTYPE], handlers=[on_change])
    last = None
    try:
        while True:
            snapshot = {}
            with lock:
                current = sorted(names)
            for name in current:
                info = ServiceInfo(SERVICE_TYPE, name)
                if not info.load_from_cache(zc):
                    info.request(zc, 500)
                snapshot[name] = sorted(info.parsed_addresses(IPVersion.V4Only))
            if snapshot != last:
                print(json.dumps({"t": time.monotonic(), "nodes": snapshot}), flush=True)
                last = snapshot
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        browser.cancel()
        zc.close()


if __name__ == "__main__":
    sys.exit(main())
