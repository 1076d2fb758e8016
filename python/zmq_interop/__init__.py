"""zmq-interop's Python peers: the peer contract over pyzmq (and numpy for REQ/REP)."""
