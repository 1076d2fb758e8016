"""The Python peer: `python python/peer.py <role> [options]` or `python python/peer.py --info`.

See docs/peer-contract.md. The `zmq_interop` package beside this file does the work.
"""

import sys

from zmq_interop.cli import main

if __name__ == "__main__":
    sys.exit(main())
