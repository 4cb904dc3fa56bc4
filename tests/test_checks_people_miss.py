"""`docgen check` catches what a consultant would catch on a workbook a person filled in, and points at the cell."""

from __future__ import annotations

import openpyxl

from docgen import variants


def edit(path, changes: dict[tuple[str, str], object]) -> None:
    wb = openpyxl.load_workbook(path)
    for (sheet, cell), value in changes.items():
        wb[sheet][cell].value = value
    wb.save(path)


def lines_of(result, severity: str = "") -> list[str]:
    return [line.strip() for line in result.output.splitlines() if line.strip().startswith(severity or ("error",
                                                                                                       "warning"))]


def test_a_blank_plan_date_is_an_error_at_its_cell(sample, run):
    edit(sample, {("District", "C6"): None})
    result = run("check", sample)
    assert result.exit_code == 1
    assert lines_of(result) == [("error   The plan has no date; its cover would read \"Date:\" with nothing after it."
                                 "  [sheet 'District', cell C6]")]


def test_a_school_year_that_is_not_the_templates_is_an_error(sample, run):
    edit(sample, {("District", "C7"): "2026-27"})
    result = run("check", sample)
    assert lines_of(result) == [("error   The school year is '2026-27', but this is the plan for 2025-2026."
                                 "  [sheet 'District', cell C7]")]


def test_a_school_code_that_lost_its_leading_zero_says_how_to_type_it(sample, run):
    edit(sample, {("Schools", "B5"): 9990005})  # what Excel makes of 09990005 typed into a number cell
    result = run("check", sample)
    assert lines_of(result) == [("error   The DESE code of Harborview Elementary School is '9990005': it has lost its "
                                 "leading zero (DESE codes have 8 digits). Type it as 09990005."
                                 "  [sheet 'Schools', cell B5]")]


def test_the_school_code_column_is_text_so_the_zero_is_kept(tmp_path, run):
    run("new-workbook", tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    assert wb["Schools"].column_dimensions["B"].number_format == "@"
    assert wb["District"]["C5"].number_format == "@"


def test_a_blank_accountability_category_is_an_error_not_a_silently_unidentified_school(sample, run):
    edit(sample, {("Schools", "D5"): None})
    result = run("check", sample)
    assert ("error   Harborview Elementary School has no accountability category, so the plan cannot show whether "
            "it requires assistance or intervention.  [sheet 'Schools', cell D5]") in lines_of(result)


def test_a_misspelt_school_is_a_warning_that_points_at_the_typo_and_suggests_the_name(sample, run):
    wb = openpyxl.load_workbook(sample)
    ws = wb["Targeted support"]
    row = next(r for r in range(5, 12) if (ws.cell(r, 2).value or "").startswith("Harborview"))
    ws.cell(row, 2).value = "Harborveiw Elementary"
    wb.save(sample)
    result = run("check", sample)
    assert result.exit_code == 0  # reading a name is a guess: asked, never an error that blocks submit
    assert lines_of(result) == [
        (f"warning 'Harborveiw Elementary' in the schools receiving targeted support is not on the school list: "
         f"did you mean Harborview Elementary School?  [sheet 'Targeted support', cell B{row}]")]


def test_a_school_not_on_the_list_is_a_warning_naming_the_list(sample, run):
    edit(sample, {("Outcomes", "D5"): "Lincoln Elementary School"})
    result = run("check", sample)
    assert result.exit_code == 0
    assert lines_of(result) == [
        ("warning 'Lincoln Elementary School' in the annual outcome targets is not on the school list (Harborview "
         "Elementary School, Ellis Pond Middle School, Cranberry Harbor High School): add it there, or correct the "
         "name.  [sheet 'Outcomes', cell D5]")]


def test_a_missing_level_points_at_the_level_column_of_the_benchmarks(sample, run):
    edit(sample, {("Monitoring", "C7"): "School"})  # no classroom-level benchmark left
    result = run("check", sample)
    assert lines_of(result) == [
        "warning No interim benchmark at the classroom level.  [sheet 'Monitoring', cells C5:C7]"]


def test_any_subject_is_accepted_for_curricula_and_the_common_ones_suggested(sample, run, tmp_path):
    edit(sample, {("HQIM curricula", "A6"): "History and social science", ("HQIM curricula", "B6"): "6-8",
                  ("HQIM curricula", "C6"): "Investigating and selecting", ("HQIM curricula", "D6"): "Piloting units."})
    result = run("build", sample, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    subjects = variants.load("fy26").lists["subject"]
    assert not subjects.strict
    assert {"ELA", "Math", "Science", "History and social science"} <= set(subjects.values)


def test_schools_that_share_a_short_name_are_told_apart():
    """Mill River Elementary and Mill River Middle are both 'Mill River': each row counts for the school it names."""
    from pathlib import Path

    import yaml

    from docgen import api
    from docgen.model.plan import plan_from_dict

    data = yaml.safe_load((Path(__file__).parent / "data" / "mill_river.yaml").read_text(encoding="utf-8"))
    found = [f.rule for f in api.check_plan(plan_from_dict(data, "fy26"))]
    assert found == ["benchmark-levels"]  # its second priority has no district-level benchmark, and nothing else
