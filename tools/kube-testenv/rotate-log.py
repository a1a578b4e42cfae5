"""Copies its standard input to <log>, moving <log> to <log>.1 (replacing the one before)
where the next line would take it past <max-bytes>: a component's log is bounded at twice
that, the newest lines kept.

    rotate-log.py <log> <max-bytes>

kte_spawn runs one per component, reading the component's stdout and stderr from a pipe,
so it lasts as long as the component, and no longer: it ends at the pipe's end, once the
component has exited. A component's output is never lost by it, nor written twice: the
file is renamed, not copied and truncated under a writer still appending to it.
"""
import os
import signal
import sys

CHUNK = 64 * 1024


def main(log: str, max_bytes: int) -> None:
    # Ended before the component, it would take the component with it (SIGPIPE at its next
    # write). The pipe's end is its only way out; stop.sh stops the component.
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    out = open_log(log)
    size = os.fstat(out).st_size
    while True:
        chunk = os.read(0, CHUNK)
        if not chunk:
            return
        while chunk:
            take = lines_that_fit(chunk, max_bytes - size, size == 0)
            write(out, chunk[:take])
            size, chunk = size + take, chunk[take:]
            if chunk:
                out, size = rotated(out, log)


def rotated(out: int, log: str) -> tuple:
    """The log moved aside and a new one opened. With the log removed (an rm to free space) a
    new one is opened all the same; with its directory gone, the output goes nowhere until the
    next rotation finds it again: the writer must read on until the component ends, whatever
    became of its file (ended, it would take the component with it)."""
    try:
        os.replace(log, log + ".1")
    except OSError:
        pass
    os.close(out)
    try:
        return open_log(log), 0
    except OSError:
        return os.open(os.devnull, os.O_WRONLY), 0


def lines_that_fit(chunk: bytes, room: int, empty: bool) -> int:
    """How much of `chunk` goes to the file: all that fits, else the whole lines that do.
    A line longer than the bound is written whole to a file of its own."""
    if len(chunk) <= room:
        return len(chunk)
    whole = chunk.rfind(b"\n", 0, max(room, 0)) + 1
    if whole == 0 and empty:
        return chunk.find(b"\n") + 1 or len(chunk)
    return whole


def open_log(log: str) -> int:
    return os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)


def write(fd: int, data: bytes) -> None:
    """All of `data`, or what a full disk leaves of it: reading on keeps the component writing."""
    try:
        while data:
            data = data[os.write(fd, data):]
    except OSError:
        pass


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
