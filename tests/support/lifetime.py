"""Makes a test server stop by itself: when the process that started it is gone, or after
--max-seconds, whichever comes first. Shared by the Python test servers."""

import os
import threading
import time


def stop_with_parent(max_seconds):
    parent = os.getppid()
    deadline = time.monotonic() + max_seconds

    def watch():
        while True:
            if os.getppid() != parent or time.monotonic() > deadline:
                os._exit(0)
            time.sleep(0.2)

    threading.Thread(target=watch, daemon=True).start()


def write_port(path, port):
    """Written whole, then renamed: the reader never sees half a number."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(port))
    os.rename(tmp, path)
