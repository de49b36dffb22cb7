"""The student id: explicit argument, else MHSM_STUDENT_ID, else JUPYTERHUB_USER; a blank id is a visible warning."""
from __future__ import annotations

import io

import pytest

from mhsm_lessons.practice.identity import BLANK_WARNING, is_demo_id, resolve_student_id

HUB = {"JUPYTERHUB_USER": "ana"}
BOTH = {"MHSM_STUDENT_ID": "s042", "JUPYTERHUB_USER": "ana"}


@pytest.mark.parametrize("explicit, environ, expected, source", [
    ("s101", BOTH, "s101", "argument"),
    (" s101 ", {}, "s101", "argument"),
    (42, {}, "42", "argument"),
    ("", BOTH, "s042", "MHSM_STUDENT_ID"),
    (None, BOTH, "s042", "MHSM_STUDENT_ID"),
    (..., HUB, "ana", "JUPYTERHUB_USER"),
    ("   ", {"MHSM_STUDENT_ID": "  ", "JUPYTERHUB_USER": "ana"}, "ana", "JUPYTERHUB_USER"),
    ("", {}, "default", "blank"),
    ("", {"JUPYTERHUB_USER": ""}, "default", "blank"),
])
def test_the_order_of_sources(explicit, environ, expected, source):
    ident = resolve_student_id(explicit, environ=environ)
    assert (ident.student_id, ident.source) == (expected, source)
    assert ident.warning == (source == "blank")


def test_each_source_is_named_in_the_message():
    assert resolve_student_id("s101", environ={}).message == "Student id 's101' (from your STUDENT_ID cell)."
    assert resolve_student_id("", environ=BOTH).message == (
        "Student id 's042' (from the course set-up, MHSM_STUDENT_ID).")
    assert resolve_student_id("", environ=HUB).message == (
        "Student id 'ana' (from your JupyterHub user name, JUPYTERHUB_USER).")


def test_a_blank_id_is_a_visible_warning_on_stderr():
    ident = resolve_student_id("", environ={})
    assert ident.message == BLANK_WARNING
    assert BLANK_WARNING.startswith("WARNING: no student id. STUDENT_ID is blank and neither MHSM_STUDENT_ID nor "
                                    "JUPYTERHUB_USER is set, so this lab uses the course's shared default data")
    out, err = io.StringIO(), io.StringIO()
    ident.announce(out=out, err=err)
    assert (out.getvalue(), err.getvalue()) == ("", BLANK_WARNING + "\n")
    out, err = io.StringIO(), io.StringIO()
    resolve_student_id("", environ=HUB).announce(out=out, err=err)
    assert (out.getvalue(), err.getvalue()) == ("Student id 'ana' (from your JupyterHub user name, "
                                                "JUPYTERHUB_USER).\n", "")


def test_a_demo_id_says_the_class_view_leaves_it_out():
    ident = resolve_student_id("demo-student", environ={})
    assert ident.message == ("Student id 'demo-student' (from your STUDENT_ID cell). This is a demonstration id: "
                             "its checks are not logged for the class view. Use your own id for your own data.")
    assert not ident.warning
    assert resolve_student_id("default", environ={}).message == (
        "Student id 'default' (from your STUDENT_ID cell). This is the course's default data, shared by everyone, "
        "and the class view leaves it out. Use your own id for your own data.")


def test_values_that_are_not_ids_pass_through_for_the_data_layer_to_explain():
    from mhsm_lessons.data import normalize_student_id
    for bad in (True, 4.2, ["s1"]):
        ident = resolve_student_id(bad, environ=HUB)
        assert ident.student_id is bad and ident.message == ""
        with pytest.raises(TypeError):
            normalize_student_id(ident.student_id)


def test_os_environ_is_the_default(monkeypatch):
    monkeypatch.delenv("MHSM_STUDENT_ID", raising=False)
    monkeypatch.setenv("JUPYTERHUB_USER", "hubuser")
    assert resolve_student_id("").student_id == "hubuser"


def test_demo_ids():
    assert [is_demo_id(x) for x in ("default", "DEFAULT", " ", "demo-student", "demo-3", "s1", "demonstrator")] == [
        True, True, True, True, True, False, False]


def test_on_binder_the_random_hub_user_is_not_an_id():
    binder = {"JUPYTERHUB_USER": "jovyan-3f9a1c", "BINDER_REPO_URL": "https://github.com/x/y"}
    ident = resolve_student_id("", environ=binder)
    assert (ident.student_id, ident.source, ident.warning) == ("default", "blank", True)
    assert ident.message.endswith("(On Binder the hub user name is a new random name at every launch, so it is "
                                  "not used as your id.)")
    assert resolve_student_id("s7", environ=binder).student_id == "s7"
    assert resolve_student_id("", environ={**binder, "MHSM_STUDENT_ID": "s8"}).student_id == "s8"
