"""Make a child process die with its parent, so a killed refresh leaves nothing running."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1


def die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when its parent ends (Linux; elsewhere a no-op).

    False when the parent has already gone, before the signal was armed: the caller should
    exit. The signal follows the parent *thread* that started this process.
    """
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    return os.getppid() == parent
