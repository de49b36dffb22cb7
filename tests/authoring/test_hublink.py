"""mhsm hub-link: the nbgitpuller link, the check that the notebook is on the branch, warnings on addresses."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from mhsm_lessons.authoring.hublink import HubLinkError, hub_link, repository_warnings

ROOT = Path(__file__).resolve().parents[2]
REPO = "https://git.example.edu/mha/course-student.git"


@pytest.fixture
def checkout(tmp_path):
    repo = tmp_path / "student"
    (repo / "exercises").mkdir(parents=True)
    (repo / "exercises" / "01_budgeting_lab.ipynb").write_text("{}")

    def git(*args):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    git("init", "-q", "-b", "main")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.edu", "commit", "-q", "-m", "edition")
    return repo


def test_the_link_sets_target_folder_and_landing_notebook(checkout):
    link = hub_link("https://hub.example.edu/", REPO, "01_budgeting_lab", source=checkout)
    parts = urlsplit(link.url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {"repo": [REPO], "branch": ["main"], "targetpath": ["mhsm-lessons"],
                                     "urlpath": ["lab/tree/mhsm-lessons/exercises/01_budgeting_lab.ipynb"]}
    assert link.warnings == []


def test_a_hub_under_a_prefix_and_a_notebook_path(checkout):
    (checkout / "notebooks").mkdir()
    link = hub_link("https://uni.edu/jupyter/hub", REPO, "notebooks/00_start_here.ipynb", target="mha 610",
                    check=False)
    assert link.url.startswith("https://uni.edu/jupyter/hub/user-redirect/git-pull?")
    assert parse_qs(urlsplit(link.url).query)["urlpath"] == ["lab/tree/mha 610/notebooks/00_start_here.ipynb"]


def test_a_notebook_missing_from_the_branch_is_an_error(checkout):
    with pytest.raises(HubLinkError, match=r"exercises/02_revenue_cycle_lab.ipynb is not on branch 'main'.*"
                                           r"Notebooks in exercises/ there: exercises/01_budgeting_lab.ipynb"):
        hub_link("https://hub.example.edu", REPO, "02_revenue_cycle_lab", source=checkout)
    with pytest.raises(HubLinkError, match="There is no branch 'student'"):
        hub_link("https://hub.example.edu", REPO, "01_budgeting_lab", branch="student", source=checkout)
    with pytest.raises(HubLinkError, match="is not a git checkout"):
        hub_link("https://hub.example.edu", REPO, "01_budgeting_lab", source=checkout / "exercises" / "..")  \
            if False else hub_link("https://hub.example.edu", REPO, "01_budgeting_lab", source=checkout.parent)


@pytest.mark.parametrize("hub, repo, lab, kwargs, message", [
    ("hub.example.edu", REPO, "01_budgeting_lab", {}, "is not a web address"),
    ("https://hub.example.edu", REPO, "budget", {}, "neither a lab id"),
    ("https://hub.example.edu", REPO, "01_budgeting_lab", {"target": "../etc"}, "inside the student's home"),
    ("https://hub.example.edu", REPO, "01_budgeting_lab", {"notebook": "/etc/passwd"}, "inside the repository"),
    ("https://hub.example.edu", REPO, "01_budgeting_lab", {"branch": "a b"}, "not a branch name"),
])
def test_bad_arguments(hub, repo, lab, kwargs, message):
    with pytest.raises(HubLinkError, match=message):
        hub_link(hub, repo, lab, check=False, **kwargs)


def test_addresses_students_cannot_reach_are_warned_about():
    assert repository_warnings("file:///srv/course")[0].startswith("file:///srv/course is a path on this computer")
    assert repository_warnings("/srv/course")[0].startswith("/srv/course is a path on this computer")
    assert repository_warnings("git://127.0.0.1:9418/course")[0].startswith(
        "git://127.0.0.1:9418/course points at 127.0.0.1: on a hub, that is each student's own server")
    assert "private network" in repository_warnings("https://10.1.2.3/course.git")[0]
    assert "ssh://" in repository_warnings("ssh://git@git.example.edu/course.git")[0]
    assert "token" in repository_warnings("https://me:tok@git.example.edu/course.git")[0]
    assert "plain http://" in repository_warnings("http://git.example.edu/course.git")[0]
    assert repository_warnings(REPO) == []


def test_cli_prints_the_link_and_warnings(checkout):
    run = subprocess.run([sys.executable, "-m", "mhsm_lessons.cli", "hub-link", "--hub", "http://127.0.0.1:8000",
                          "--repo", "file:///srv/x", "--lab", "01_budgeting_lab", "--source", str(checkout)],
                         capture_output=True, text=True, timeout=120, cwd=checkout)
    assert run.returncode == 0
    assert run.stdout.startswith("http://127.0.0.1:8000/hub/user-redirect/git-pull?repo=file%3A%2F%2F%2Fsrv%2Fx&")
    assert run.stderr.startswith("warning: file:///srv/x is a path on this computer")
    missing = subprocess.run([sys.executable, "-m", "mhsm_lessons.cli", "hub-link", "--hub", "https://h.edu",
                              "--repo", REPO, "--lab", "09_x_lab", "--source", str(checkout)],
                             capture_output=True, text=True, timeout=120, cwd=checkout)
    assert missing.returncode == 2 and "exercises/09_x_lab.ipynb is not on branch 'main'" in missing.stderr


def test_a_binder_link_takes_the_image_from_one_repository_and_the_content_from_another(checkout):
    from urllib.parse import unquote
    from mhsm_lessons.authoring.hublink import binder_link
    link = binder_link("gh/mha/mhsm-lessons/main", "https://github.com/mha/mhsm-lessons", "01_budgeting_lab",
                       source=checkout)
    base, urlpath = link.url.split("?urlpath=")
    assert base == "https://mybinder.org/v2/gh/mha/mhsm-lessons/main"
    inner = unquote(urlpath)
    assert inner.startswith("git-pull?")
    assert parse_qs(inner.split("?", 1)[1]) == {
        "repo": ["https://github.com/mha/mhsm-lessons"], "branch": ["main"], "targetpath": ["mhsm-lessons"],
        "urlpath": ["lab/tree/mhsm-lessons/exercises/01_budgeting_lab.ipynb"]}
    with pytest.raises(HubLinkError, match="not a Binder repository spec"):
        binder_link("mha/mhsm-lessons", REPO, "01_budgeting_lab", check=False)
    run = subprocess.run([sys.executable, "-m", "mhsm_lessons.cli", "hub-link", "--binder", "gh/mha/m/main",
                          "--repo", REPO, "--lab", "01_budgeting_lab", "--no-check"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0 and run.stdout.startswith("https://mybinder.org/v2/gh/mha/m/main?urlpath=git-pull")
