"""A stand-in for the system resolver: no name resolves and no lookup leaves the machine;
addresses (127.0.0.1) still work. For tests in this process (`refuse`, through monkeypatch) and
in a process of their own (`install`, from a sitecustomize)."""

from __future__ import annotations

import ipaddress
import socket

_real = socket.getaddrinfo


def refuse(host, *args, **kwargs):
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
    return _real(host, *args, **kwargs)


def install() -> None:
    socket.getaddrinfo = refuse
