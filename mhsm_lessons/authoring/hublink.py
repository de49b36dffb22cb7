"""The link an instructor hands out on a JupyterHub (``mhsm hub-link``): nbgitpuller pulls the course, opens a lab.

Clicking ``https://HUB/hub/user-redirect/git-pull?repo=...&branch=...&targetpath=...&urlpath=...`` logs the
student in, starts their server, clones (first time) or merges (later) the repository into ``targetpath`` in their
home, and opens ``urlpath``: here the lab notebook in JupyterLab. nbgitpuller never overwrites a file the student
changed (see the hub guide, docs/hub.md).

:func:`hub_link` builds that link, checks with ``git`` that the landing notebook exists on that branch of a local
checkout of the repository, and warns about repository addresses that students' servers cannot reach.
"""
from __future__ import annotations

import ipaddress
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlencode, urlsplit

__all__ = ["hub_link", "binder_link", "HubLink", "HubLinkError", "repository_warnings"]

_LAB_ID = re.compile(r"^[0-9]{2}_[A-Za-z0-9_]+$")


class HubLinkError(ValueError):
    """The link cannot be built or would not work (a missing notebook, a malformed address)."""


@dataclass(frozen=True)
class HubLink:
    """An nbgitpuller link and the warnings about it."""

    url: str
    notebook: str
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.url


def _is_loopback_or_private(host: str) -> str:
    host = host.strip("[]").lower()
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return "loopback"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "" if "." in host else "single-label"
    if address.is_loopback:
        return "loopback"
    if address.is_private or address.is_link_local:
        return "private"
    return ""


def repository_warnings(repo: str) -> list[str]:
    """Why students' servers might not reach ``repo`` (empty when it looks reachable).

    >>> repository_warnings("https://git.example.edu/mha/course-student.git")
    []
    >>> repository_warnings("file:///home/me/course")[0][:49]
    'file:///home/me/course is a path on this computer'
    >>> repository_warnings("http://localhost:9418/course")[0][:55]
    'http://localhost:9418/course points at localhost: on a '
    """
    parts = urlsplit(repo)
    scheme = parts.scheme.lower()
    if scheme in ("", "file") or re.match(r"^[A-Za-z]:[\\/]", repo):
        return [f"{repo} is a path on this computer: students' servers cannot read it. Push the student edition "
                "to a git server the hub can reach (an https:// address) and link to that."]
    warnings = []
    if scheme not in ("http", "https", "git"):
        warnings.append(f"{repo} uses {scheme}://, which needs credentials or keys students' servers do not "
                        "have; use the repository's public https:// address.")
    if parts.username or parts.password:
        warnings.append(f"{repo} contains a user name or token: everyone who gets the link sees it.")
    kind = _is_loopback_or_private(parts.hostname or "")
    if kind == "loopback":
        warnings.append(f"{repo} points at {parts.hostname}: on a hub, that is each student's own server, not "
                        "yours. Fine for a test hub on one machine; for a class use an address students can reach.")
    elif kind == "private":
        warnings.append(f"{repo} is on a private network address ({parts.hostname}); check the hub's user "
                        "servers can reach it.")
    elif kind == "single-label":
        warnings.append(f"{repo} has a host name without a domain ({parts.hostname}); check the hub's user "
                        "servers can resolve it.")
    if scheme == "http" and kind == "" and parts.hostname:
        warnings.append(f"{repo} uses plain http://; prefer https://.")
    return warnings


def _notebook_path(lab: str, notebook: str | None) -> str:
    if notebook:
        path = PurePosixPath(notebook.replace("\\", "/"))
    elif _LAB_ID.match(lab):
        path = PurePosixPath("exercises") / f"{lab}.ipynb"
    elif lab.endswith(".ipynb"):
        path = PurePosixPath(lab.replace("\\", "/"))
    else:
        raise HubLinkError(f"--lab {lab!r} is neither a lab id such as 01_budgeting_lab nor a notebook path.")
    if path.is_absolute() or ".." in path.parts:
        raise HubLinkError(f"The landing notebook {str(path)!r} must be a path inside the repository.")
    return str(path)


def _check_on_branch(source: Path, branch: str, notebook: str) -> None:
    """Raise HubLinkError unless ``notebook`` is in the tree of ``branch`` in the git checkout ``source``."""
    def git(*args):
        try:
            return subprocess.run(["git", "-C", str(source), *args], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.SubprocessError) as exc:
            raise HubLinkError(f"Could not run git to check the notebook ({exc}); pass --no-check to skip.") from None

    if git("rev-parse", "--git-dir").returncode != 0:
        raise HubLinkError(f"{source} is not a git checkout, so the notebook cannot be checked. Pass --source "
                           "with a checkout of the repository, or --no-check.")
    ref = None
    for candidate in (branch, f"origin/{branch}", f"refs/remotes/origin/{branch}"):
        if git("rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}").returncode == 0:
            ref = candidate
            break
    if ref is None:
        raise HubLinkError(f"There is no branch {branch!r} in {source}. Give the branch students pull (--branch), "
                           "or fetch it first.")
    if git("cat-file", "-e", f"{ref}:{notebook}").returncode != 0:
        listing = git("ls-tree", "-r", "--name-only", ref).stdout.split("\n")
        labs = sorted(p for p in listing if p.endswith(".ipynb") and p.startswith("exercises/"))
        known = f" Notebooks in exercises/ there: {', '.join(labs)}." if labs else ""
        raise HubLinkError(f"{notebook} is not on branch {branch!r} of {source}, so the link would open nothing."
                           f"{known} Commit it to that branch, or give the right --lab or --branch.")


def _pull_query(repo, lab, branch, target, notebook, source, check) -> tuple[str, str]:
    """nbgitpuller's query string (repo, branch, targetpath, urlpath) and the landing notebook, validated."""
    if not branch or branch.startswith("-") or any(c in branch for c in " ~^:?*[\\"):
        raise HubLinkError(f"--branch {branch!r} is not a branch name.")
    target_path = PurePosixPath(target.strip().replace("\\", "/"))
    if not target.strip() or target_path.is_absolute() or ".." in target_path.parts:
        raise HubLinkError(f"--target {target!r} must be a folder name inside the student's home, like "
                           "mhsm-lessons.")
    path = _notebook_path(lab, notebook)
    if check:
        _check_on_branch(Path(source or "."), branch, path)
    query = urlencode({"repo": repo, "branch": branch, "targetpath": str(target_path),
                       "urlpath": f"lab/tree/{target_path}/{path}"}, quote_via=quote, safe="")
    return query, path


def binder_link(environment: str, repo: str, lab: str, *, branch: str = "main", target: str = "mhsm-lessons",
                notebook: str | None = None, source: str | Path | None = ".", check: bool = True,
                binder: str = "https://mybinder.org") -> HubLink:
    """A Binder link: the image from ``environment`` (``gh/OWNER/REPO/REF``: the instructor edition's binder/),
    the content pulled by nbgitpuller from ``repo`` (the student edition), as :func:`hub_link` does on a hub.

    >>> print(binder_link("gh/mha/mhsm-lessons/main", "https://github.com/mha/mhsm-lessons", "01_budgeting_lab",
    ...                   branch="student", check=False).url)
    https://mybinder.org/v2/gh/mha/mhsm-lessons/main?urlpath=git-pull%3Frepo%3Dhttps%253A%252F%252Fgithub.com%252Fmha%252Fmhsm-lessons%26branch%3Dstudent%26targetpath%3Dmhsm-lessons%26urlpath%3Dlab%252Ftree%252Fmhsm-lessons%252Fexercises%252F01_budgeting_lab.ipynb
    """
    spec = environment.strip().strip("/")
    if not re.fullmatch(r"(gh|gl|git)/[^?#\s]+", spec) or (spec.startswith("gh/") and spec.count("/") < 3):
        raise HubLinkError(f"--binder {environment!r} is not a Binder repository spec; give it like "
                           "gh/OWNER/REPO/BRANCH.")
    query, path = _pull_query(repo, lab, branch, target, notebook, source, check)
    url = f"{binder.rstrip('/')}/v2/{spec}?urlpath={quote('git-pull?' + query, safe='')}"
    return HubLink(url, path, repository_warnings(repo))


def hub_link(hub: str, repo: str, lab: str, *, branch: str = "main", target: str = "mhsm-lessons",
             notebook: str | None = None, source: str | Path | None = ".", check: bool = True) -> HubLink:
    """Build the nbgitpuller link that pulls ``repo`` into ``~/target`` and opens the lab in JupyterLab.

    Parameters
    ----------
    hub : str
        The hub's address, ``https://hub.example.edu`` (a path prefix such as ``/jupyter`` is kept).
    repo : str
        The git repository students pull: the student edition.
    lab : str
        A lab id (``01_budgeting_lab`` opens ``exercises/01_budgeting_lab.ipynb``) or a notebook path.
    branch, target, notebook : str
        Branch to pull; folder in each student's home; landing notebook (default from ``lab``).
    source : path, optional
        A local git checkout holding that branch, to check the landing notebook is on it.
    check : bool
        Set False to skip the check.

    Returns
    -------
    HubLink
        ``url`` (print it or put it in the LMS) and ``warnings`` about the repository address.

    Raises
    ------
    HubLinkError
        A malformed hub address or notebook path, or (with ``check``) a notebook missing from the branch.

    Examples
    --------
    >>> link = hub_link("https://hub.example.edu", "https://git.example.edu/mha/course-student.git",
    ...                 "01_budgeting_lab", check=False)
    >>> print(link.url)
    https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgit.example.edu%2Fmha%2Fcourse-student.git&branch=main&targetpath=mhsm-lessons&urlpath=lab%2Ftree%2Fmhsm-lessons%2Fexercises%2F01_budgeting_lab.ipynb
    >>> link.warnings
    []
    """
    parts = urlsplit(hub.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HubLinkError(f"--hub {hub!r} is not a web address; give it like https://hub.example.edu.")
    query, path = _pull_query(repo, lab, branch, target, notebook, source, check)
    base = parts._replace(path=parts.path.rstrip("/"), query="", fragment="").geturl()
    hub_prefix = "" if base.endswith("/hub") else "/hub"
    warnings = repository_warnings(repo)
    if parts.scheme == "http" and (parts.hostname or "") not in ("127.0.0.1", "localhost", "::1"):
        warnings.append(f"The hub address {hub} uses plain http://: students' passwords would cross the network "
                        "unencrypted; use https://.")
    return HubLink(f"{base}{hub_prefix}/user-redirect/git-pull?{query}", path, warnings)
