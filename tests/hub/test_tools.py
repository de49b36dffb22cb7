"""The hub layer's tools: .ci/run installs the same configurable-http-proxy the layer uses, idempotently."""
from __future__ import annotations

from .harness import CHP_VERSION, ROOT


def test_ci_installs_node_npm_and_the_pinned_proxy():
    script = (ROOT / ".ci" / "run").read_text()
    assert f"configurable-http-proxy@{CHP_VERSION}" in script
    assert "apt-get install -y" in script
    assert "missing+=(nodejs)" in script and "missing+=(npm)" in script  # the Debian packages, when missing
    assert "command -v npm" in script and ".hub-tools/node_modules/.bin/configurable-http-proxy" in script
    assert script.index("configurable-http-proxy@") < script.rindex("make test")


def test_the_tools_folder_is_ignored_by_git():
    assert ".hub-tools/" in (ROOT / ".gitignore").read_text().split()
