"""Listening ports for serve and the demo: a busy port is one line and exit code 7."""

from __future__ import annotations

import socket


class PortInUse(Exception):
    """The port serve or demo wants is taken (or cannot be bound)."""


def bind_port(host: str, port: int, what: str = "serve") -> socket.socket:
    """A listening socket on host:port, or PortInUse naming the port and the reason."""
    try:
        return socket.create_server((host, port))
    except OSError as error:
        reason = error.strerror or str(error)
        raise PortInUse(f"{what}: cannot listen on {host}:{port}: {reason}") from error
