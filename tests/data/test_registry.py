"""The data layer: registry, determinism, data dictionaries, export and its drift check, the data package."""
from __future__ import annotations

import importlib
import json
import shutil
from pathlib import Path

import pytest

from mhsm_lessons import data, describe_dataset, list_datasets, load_dataset
from mhsm_lessons.data import DatasetNotFoundError, check_datasets, export_datasets, seed_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("module_name", data.GENERATOR_MODULES)
def test_every_generator_module_exists_and_registers_datasets(module_name):
    module = importlib.import_module(module_name)
    assert module.DATASETS, f"{module_name} registers no datasets"


@pytest.mark.parametrize("name", list_datasets()["name"].tolist())
def test_every_dataset_matches_its_data_dictionary_and_is_deterministic(name):
    frame = load_dataset(name, "s001")
    fields = describe_dataset(name).fields
    assert frame.columns.tolist() == fields["field"].tolist()
    assert (fields["description"].str.len() > 10).all() and (fields["label"].str.len() > 0).all()
    assert load_dataset(name, "s001").equals(frame)
    assert len(frame) > 0


# Illustrative (made-up, so "synthetic") reference tables that are the same for every student.
FIXED_ILLUSTRATIONS = {"mhsm_career_ladder"}


def test_student_ids_change_synthetic_data_but_not_curated_figures():
    listing = list_datasets().set_index("name")
    for name in listing.index:
        same = load_dataset(name, "s001").equals(load_dataset(name, "s002"))
        expect_same = (not listing.loc[name, "synthetic"]) or name in FIXED_ILLUSTRATIONS
        assert same == expect_same, name


def test_blank_ids_mean_the_default_data():
    assert load_dataset("medsurg_labor", "").equals(load_dataset("medsurg_labor"))
    assert load_dataset("medsurg_labor", "  s001 ").equals(load_dataset("medsurg_labor", "s001"))
    assert seed_for("medsurg", 42) == seed_for("medsurg", "42")
    with pytest.raises(TypeError, match="A student id should be text such as 's042' or a whole number; you gave "
                                        "float 4.2. Put your id in quotes"):
        load_dataset("medsurg_labor", 4.2)


def test_seed_is_platform_independent():
    # SHA-256 of "mhsm-lessons|medsurg|default", first 8 bytes little-endian: a fixed number everywhere.
    import hashlib
    digest = hashlib.sha256(b"mhsm-lessons|medsurg|default").digest()
    assert seed_for("medsurg") == int.from_bytes(digest[:8], "little")


def test_unknown_dataset_lists_the_valid_names():
    with pytest.raises(DatasetNotFoundError) as info:
        load_dataset("medsurg_labour")
    message = str(info.value)
    assert message.startswith("There is no dataset called 'medsurg_labour'. Did you mean 'medsurg_labor'? The "
                              "available datasets are: ")
    for name in list_datasets()["name"]:
        assert name in message
    assert message.endswith("Run list_datasets() to see what each one holds.")


def test_loaded_frames_are_independent_copies():
    a = load_dataset("medsurg_labor")
    a.loc[:, "actual_worked_hours"] = -1.0
    assert (load_dataset("medsurg_labor")["actual_worked_hours"] > 0).all()


def test_describe_dataset_renders_text_and_html():
    d = describe_dataset("medsurg_labor")
    text = str(d)
    assert text.startswith("medsurg_labor: 5 West medical-surgical unit: labor by month and job class")
    assert "Synthetic data, modelled on" in text and "No real patient or employee appears." in text
    assert "<table" in d._repr_html_()


def test_committed_datasets_match_the_generators():
    assert check_datasets(ROOT / "datasets") == []


def test_export_check_names_an_edited_or_missing_file(tmp_path):
    export_datasets(tmp_path)
    assert check_datasets(tmp_path) == []
    csv = tmp_path / "medsurg_labor.csv"
    lines = csv.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace(",RN,", ",LPN,", 1)
    csv.write_text("".join(lines))
    (tmp_path / "medsurg_statement.csv").unlink()
    (tmp_path / "stray.csv").write_text("a\n1\n")
    assert check_datasets(tmp_path) == [
        f"{csv}: differs from its generator (run `mhsm data export`, or revert the edit)",
        f"{tmp_path / 'medsurg_statement.csv'}: missing (run `mhsm data export`)",
        f"{tmp_path / 'stray.csv'}: no generator makes this file (delete it, or register a dataset)",
    ]


def test_datapackage_is_a_valid_frictionless_package(tmp_path):
    frictionless = pytest.importorskip("frictionless")
    shutil.copytree(ROOT / "datasets", tmp_path / "datasets")
    report = frictionless.validate(str(tmp_path / "datasets" / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((ROOT / "datasets" / "datapackage.json").read_text())
    for resource in package["resources"]:
        assert resource["licenses"] and resource["description"]
        assert ("Synthetic, modelled on" in resource["description"]) == resource["mhsm:synthetic"]
        for field in resource["schema"]["fields"]:
            assert field["type"] and field["description"]


def test_budgeting_data_falls_in_domain_ranges():
    """DOMAIN.md section 1 [S]: worked HPPD med-surg 7-9 (RN + CNA); productive share 85-92% of paid hours."""
    for sid in (None, "s001", "s002", "s003"):
        labor = load_dataset("medsurg_labor", sid)
        care = labor[labor["job_class"].isin(["RN", "CNA"])]
        by_month = care.groupby("month").agg(hours=("actual_worked_hours", "sum"),
                                             days=("actual_patient_days", "first"))
        hppd = by_month["hours"] / by_month["days"]
        assert hppd.between(7.0, 9.0).all(), (sid, hppd.min(), hppd.max())
        employed = labor["actual_regular_hours"] + labor["actual_overtime_hours"]
        share = employed.sum() / labor["actual_paid_hours"].sum()
        assert 0.85 <= share <= 0.92, (sid, share)
        days = labor.groupby("month")["actual_patient_days"].first()
        assert (days <= 32 * 31).all()
        statement = load_dataset("medsurg_statement", sid)
        salaries = statement[statement["line_item"] == "Salaries and wages - RN (worked)"]["actual"].to_numpy()
        assert salaries == pytest.approx(labor[labor["job_class"] == "RN"]["actual_worked_cost"].to_numpy())
