"""A bare pyzmq throughput loop: the yardstick `interop bench --reference` holds the Python peer
to. Same arguments and output line as libzmq's local_thr/remote_thr:

    bare_thr.py pull <bind-to> <message-size> <message-count>
    bare_thr.py push <connect-to> <message-size> <message-count>
"""

import sys
import time

import zmq


def main() -> int:
    role, endpoint, size, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    context = zmq.Context()
    if role == "pull":
        sock = context.socket(zmq.PULL)
        sock.bind(endpoint)
        sock.recv()
        started = time.perf_counter()  # float seconds: perf_counter_ns needs Python 3.7
        for _ in range(count - 1):
            sock.recv()
        elapsed_us = max(int((time.perf_counter() - started) * 1_000_000), 1)
        print(f"mean throughput: {count * 1_000_000 // elapsed_us} [msg/s]")
    else:
        sock = context.socket(zmq.PUSH)
        sock.connect(endpoint)
        message = bytes(size)
        for _ in range(count):
            sock.send(message)
    sock.close()
    context.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
