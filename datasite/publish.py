"""Putting a built site in place: `site/` holds the last complete site, whatever happens to a build.

A build writes into a staging folder; only a complete build replaces `site/`. The replacement is
a short sequence of renames, each atomic, written so that a build killed between any two of
them leaves a state the next build recognises and completes or undoes (`recover`):

    rename mode (the usual one: site/ can be renamed)
      1. site/ -> .site.previous       killed here: .previous is put back as site/
      2. .site.building -> site/       killed here: the new site stays; step 3 is done again
      3. hidden entries of .previous (a gh-pages worktree's .git, .nojekyll) -> site/
      4. .site.previous removed

    in-place mode (site/ is a mount point, or its folder may not be written)
      staging and journal live inside site/: site/.datasite.building, site/.datasite.previous
      1. site/'s entries -> .datasite.previous, then its mark `.datasite-complete`
                                       killed before the mark: the entries go back
      2. .datasite.building's entries -> site/
                                       killed after the mark: the rest of them follow
      3. .datasite.previous -> .datasite.discarded (one rename), which is then removed
      An error in step 1 or 2 (a full disk) puts everything back as it was before step 1.

Builds of one site take turns: each holds an exclusive lock (flock) on the folder that holds the
journal from the start of its build to the end of its publishing, so no build clears or replaces
another's staging folder. The operating system releases the lock of a killed build.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable

from .problems import DatasiteError

try:
    import fcntl
except ImportError:  # Windows: builds are not serialized there
    fcntl = None

IN_PLACE_STAGING = ".datasite.building"
IN_PLACE_RETIRED = ".datasite.previous"
IN_PLACE_DISCARDED = ".datasite.discarded"
COMPLETE_MARK = ".datasite-complete"
LOCK_WAIT = 600.0  # seconds: a build that holds the site longer than this is taken to be stuck


class PublishError(DatasiteError):
    """The site folder cannot be prepared or replaced; the message names it and says why."""


def _shown(path: Path) -> str:
    return f"{path}/" if not str(path).endswith("/") else str(path)


def _why(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def _sync_folder(folder: Path) -> None:
    """The renames in `folder` reach the disk before the next step (a power cut keeps the order)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


class SiteFolder:
    """The site folder of one build, from its staging folder to its publishing.

    `open` waits for any other build of the same site, completes or undoes what a killed build
    left, and makes an empty staging folder; `publish` puts the staging folder in place;
    `discard` drops it. Both release the lock."""

    def __init__(self, target: Path, in_place: bool, notify: Callable[[str], None]):
        self.target = target
        self.in_place = in_place
        self.notify = notify
        if in_place:
            self.journal_dir = target
            self.staging = target / IN_PLACE_STAGING
            self.retired = target / IN_PLACE_RETIRED
            self.discarded = target / IN_PLACE_DISCARDED
        else:
            self.journal_dir = target.parent
            self.staging = target.with_name(f".{target.name}.building")
            self.retired = target.with_name(f".{target.name}.previous")
            self.discarded = target.with_name(f".{target.name}.discarded")
        self.lock_fd: int | None = None
        self.active = True  # until publish or discard: the staging folder is this build's own

    @classmethod
    def open(cls, target: Path, notify: Callable[[str], None] = lambda message: None, *,
             in_place: bool | None = None, wait: float = LOCK_WAIT) -> "SiteFolder":
        target = Path(os.path.abspath(target))
        if target.is_symlink():
            target = target.resolve()  # the folder it names is the site (its link stays as it is)
        if target.exists() and not target.is_dir():
            raise PublishError(f"{target}: not a folder; the site is written to a folder (remove or rename this file)")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)  # (as MkDocs makes the site's folders)
        except OSError as exc:
            raise PublishError(f"cannot make {_shown(target.parent)}: {_why(exc)}") from None
        if in_place is None:
            in_place = cls.needs_in_place(target)
        if in_place and not target.is_dir():
            raise PublishError(f"cannot write the site: {target.parent}/ may not be written")
        folder = cls(target, in_place, notify)
        folder.lock(wait)
        try:
            folder.recover()
            folder.staging.mkdir()
        except OSError as exc:
            folder.release()
            raise PublishError(f"cannot prepare the site in {_shown(folder.journal_dir)}: {_why(exc)} "
                               f"({exc.filename or folder.staging})") from None
        return folder

    @staticmethod
    def needs_in_place(target: Path) -> bool:
        """Whether site/ must keep its own folder: a mount point cannot be renamed, and a folder
        beside which nothing may be written cannot get a staging folder beside it."""
        if target.exists() and os.path.ismount(target):
            return True
        probe = target.with_name(f".{target.name}.probe-{os.getpid()}")
        try:
            probe.mkdir()
            probe.rmdir()
            return False
        except FileExistsError:
            return False
        except OSError:
            return target.is_dir()

    # -- taking turns ---------------------------------------------------------------------

    def lock(self, wait: float) -> None:
        if fcntl is None:
            return
        try:
            self.lock_fd = os.open(self.journal_dir, os.O_RDONLY)
        except OSError as exc:
            raise PublishError(f"cannot open {_shown(self.journal_dir)}: {_why(exc)}") from None
        try:
            fcntl.flock(self.lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            self.notify(f"another build is writing {_shown(self.target)}; waiting for it to end")
        except OSError:
            return  # a file system without locks: as before, one build at a time is the user's part
        ends = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(self.lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > ends:
                    self.release()
                    raise PublishError(f"another build has been writing {_shown(self.target)} for more than "
                                       f"{wait:g} s; stop it, or wait for it to end") from None
                time.sleep(0.05)

    def release(self) -> None:
        if self.lock_fd is not None:
            os.close(self.lock_fd)  # (closing releases the lock)
            self.lock_fd = None

    # -- what a killed build left ---------------------------------------------------------

    def recover(self) -> None:
        """Complete or undo the publishing of a build that was killed, then drop its staging."""
        if self.in_place:
            self._recover_in_place()
        else:
            self._recover_renamed()
        if os.path.lexists(self.discarded):
            _remove(self.discarded)  # (what a killed build was removing: the site before it)
        if self.staging.exists() or self.staging.is_symlink():
            _remove(self.staging)  # a build that never got to publishing: it was not complete

    def _recover_renamed(self) -> None:
        if not self.retired.is_dir():
            if self.retired.exists() or self.retired.is_symlink():
                _remove(self.retired)
            return
        if not os.path.lexists(self.target):
            self.notify(f"a build was stopped while it replaced {_shown(self.target)}: the site before it is back")
            os.replace(self.retired, self.target)  # killed after step 1
            _sync_folder(self.target.parent)
            return
        self._keep_hidden_entries()  # killed after step 2
        self._drop_retired()

    def _keep_hidden_entries(self) -> None:
        for hidden in sorted(self.retired.glob(".*")):
            if not os.path.lexists(self.target / hidden.name):
                os.replace(hidden, self.target / hidden.name)
        _sync_folder(self.target)

    def _drop_retired(self) -> None:
        """The previous site goes, by one rename first: a kill while it is being removed leaves a
        folder no recovery mistakes for a journal."""
        os.replace(self.retired, self.discarded)
        _sync_folder(self.journal_dir)
        shutil.rmtree(self.discarded)

    def _recover_in_place(self) -> None:
        if not self.retired.is_dir():
            return
        if (self.retired / COMPLETE_MARK).exists():  # killed after step 1: the new site goes on
            if self.staging.is_dir():
                for entry in sorted(self.staging.iterdir()):
                    os.replace(entry, self.target / entry.name)
        else:  # killed during step 1: the old entries go back
            self.notify(f"a build was stopped while it replaced {_shown(self.target)}: the site before it is back")
            self._restore_in_place()
            return
        _sync_folder(self.target)
        self._drop_retired()

    def _restore_in_place(self, placed: list[str] = ()) -> None:
        """Undo steps 1 and 2: the new entries placed so far back into staging, the old ones back."""
        for name in reversed(placed):
            os.replace(self.target / name, self.staging / name)
        (self.retired / COMPLETE_MARK).unlink(missing_ok=True)
        for entry in sorted(self.retired.iterdir()):
            if not os.path.lexists(self.target / entry.name):
                os.replace(entry, self.target / entry.name)
        _sync_folder(self.target)
        self.retired.rmdir()  # (empty now; if not, the journal stays for the next build)

    # -- publishing -----------------------------------------------------------------------

    def publish(self) -> None:
        self.placed = False  # set once the new site is what site/ shows
        try:
            if self.in_place:
                self._publish_in_place()
            else:
                self._publish_renamed()
        except OSError as exc:
            state = ("the new site is in place; the next build finishes the clean-up" if self.placed
                     else "the site before it is kept")
            raise PublishError(f"cannot put the new site in place at {_shown(self.target)}: {_why(exc)} "
                               f"({exc.filename or self.target}); {state}") from None
        finally:
            self.active = False  # (whatever is left is the next build's to recover, under its lock)
            self.release()

    def _publish_renamed(self) -> None:
        if os.path.lexists(self.target):
            os.replace(self.target, self.retired)
            _sync_folder(self.target.parent)
        try:
            os.replace(self.staging, self.target)
        except OSError:
            if self.retired.exists() and not os.path.lexists(self.target):
                os.replace(self.retired, self.target)  # the previous site, back where it was
            raise
        self.placed = True
        _sync_folder(self.target.parent)
        if self.retired.is_dir():
            self._keep_hidden_entries()
            self._drop_retired()

    def _publish_in_place(self) -> None:
        new = sorted(entry.name for entry in self.staging.iterdir())
        journal = {IN_PLACE_STAGING, IN_PLACE_RETIRED, IN_PLACE_DISCARDED}
        self.retired.mkdir()
        placed: list[str] = []
        try:
            for entry in sorted(self.target.iterdir()):
                # Hidden entries the new site does not have (a worktree's .git) stay where they are.
                if entry.name not in journal and (not entry.name.startswith(".") or entry.name in new):
                    os.replace(entry, self.retired / entry.name)
            (self.retired / COMPLETE_MARK).touch()
            _sync_folder(self.retired)
            for name in new:
                os.replace(self.staging / name, self.target / name)
                placed.append(name)
        except OSError:
            self._restore_in_place(placed)  # everything back as it was before step 1
            raise
        self.placed = True
        _sync_folder(self.target)
        self.staging.rmdir()
        self._drop_retired()

    def discard(self) -> None:
        """Drop this build's staging folder (not once publishing has begun: its lock is gone by
        then, and a folder of that name may be the next build's)."""
        try:
            if self.active and self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            self.active = False
            self.release()

