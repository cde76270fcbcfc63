"""``charter decide delivery`` on the example policy: the table, JSON and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from charter.cli import app

runner = CliRunner()
UK = ["--region", "UK mainland", "--method", "standard"]


def run(*args: object) -> tuple[int, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def test_decide_delivery_christmas_order_prints_its_dates_and_clause(example_file: Path) -> None:
    # Wed 23 Dec 2026 15:30, after the 14:00 cutoff: counted from Thu 24; dispatch by
    # Tue 29 (25 and 28 Dec are bank holidays); delivered by Tue 29 + 3 working days =
    # Wed 30, Thu 31, (1 Jan closed) Mon 4 Jan 2027.
    code, output = run(
        "decide", "delivery", example_file, "--ordered", "2026-12-23T15:30+00:00", *UK
    )
    assert code == 0, output
    assert "Counted from      │ Thu 24 Dec 2026" in output
    assert "Dispatch by       │ Tue 29 Dec 2026" in output
    assert "Earliest delivery │ Wed 30 Dec 2026" in output
    assert "Delivered by      │ Mon 4 Jan 2027" in output
    assert "delivery.delivery-uk-standard" in output


def test_decide_delivery_late_christmas_delivery_json_names_the_broken_clause(
    example_file: Path,
) -> None:
    # Due Mon 4 Jan 2027; delivered Tue 5 Jan: one working day late.
    code, output = run(
        "decide", "delivery", example_file, "--ordered", "2026-12-23T15:30+00:00", *UK,
        "--delivered", "2027-01-05T10:00+00:00", "--json",
    )  # fmt: skip
    assert code == 0, output
    data = json.loads(output)
    assert data["dispatch_by"] == "2026-12-29"
    assert data["delivered_by"] == "2027-01-04"
    assert data["on_time"] is False
    assert data["working_days_late"] == 1
    assert data["verdict"] == "late by 1 working day"
    assert data["broke"] == "delivery.delivery-uk-standard"
    assert data["clause"]["id"] == "delivery.delivery-uk-standard"


def test_decide_delivery_us_friday_evening_without_cutoff(example_file: Path) -> None:
    # No cutoff: Fri 11 Dec 2026 18:30 New York (23:30 London) counts Friday; dispatch
    # by Fri + 2 = Tue 15; delivered by Tue 15 + 8 = Tue 29 (25 and 28 Dec closed).
    code, output = run(
        "decide", "delivery", example_file, "--ordered", "2026-12-11T18:30-05:00",
        "--region", "United States", "--method", "standard", "--json",
    )  # fmt: skip
    assert code == 0, output
    data = json.loads(output)
    assert (data["counted_from"], data["dispatch_by"], data["delivered_by"]) == (
        "2026-12-11",
        "2026-12-15",
        "2026-12-29",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ordered", "2026-12-23T15:30+00:00", "--region", "Mars", "--method", "standard"],
         "--region: the policy has no delivery promise for region 'Mars'; "
         "it has: UK mainland, United States"),
        (["--ordered", "2026-12-23T15:30+00:00", "--region", "UK mainland", "--method", "drone"],
         "--method: the policy has no 'drone' delivery to UK mainland; "
         "its methods there: standard, express"),
        (["--ordered", "23/12/2026", *UK], "--ordered: '23/12/2026' is not an ISO 8601"),
        (["--ordered", "2026-12-23T15:30", *UK], "--ordered: '2026-12-23T15:30' has no UTC offset"),
        (["--ordered", "2026-12-23T15:30Z", *UK, "--delivered", "soon"],
         "--delivered: 'soon' is not an ISO 8601"),
        (["--ordered", "2026-12-23T15:30Z", *UK, "--delivered", "2026-12-22T10:00Z"],
         "--delivered: the delivery"),
    ],
)  # fmt: skip
def test_decide_delivery_bad_input_exits_2_naming_the_option(
    example_file: Path, args: list[str], message: str
) -> None:
    code, output = run("decide", "delivery", example_file, *args)
    assert code == 2, output
    assert message in " ".join(output.split())
    assert "Traceback" not in output


def test_decide_delivery_missing_policy_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    code, output = run(
        "decide", "delivery", tmp_path / "none.yaml", "--ordered", "2026-12-23T15:30Z", *UK
    )
    assert code != 0
    assert "Traceback" not in output
    assert "none.yaml" in output


# charter decide return, on the example policy: 30 days from the last delivery of the
# order, on the warehouse calendar (Mon-Fri, England's bank holidays), a last day on a
# closed day moving to the next working day; refunds within 5 working days of the
# earlier of the item back or evidence of its return.
RETURN = ["--ordered", "2026-11-20T10:00+00:00", "--delivered", "2026-11-25T10:00+00:00"]


def test_decide_return_christmas_window_moves_past_the_bank_holidays(example_file: Path) -> None:
    # Delivered Wed 25 Nov 2026 (day 0) + 30 days = Fri 25 Dec, Christmas; Sat 26, Sun 27
    # and Mon 28 (Boxing Day's substitute) are closed too: the window ends Tue 29 Dec
    # 23:59:59 GMT. Asked Mon 28 Dec: allowed.
    code, output = run(
        "decide", "return", example_file, *RETURN, "--category", "toys",
        "--reason", "changed_mind", "--asked", "2026-12-28T12:00+00:00", "--price", "19.99",
    )  # fmt: skip
    assert code == 0, output
    assert "Outcome     │ allowed" in output
    assert "Window ends │ Tue 29 Dec 2026 23:59:59 GMT" in output
    assert "Refund      │ 19.99, original payment" in output
    assert "Decided by  │ returns" in output
    assert "Items can be returned within 30 days of the last delivery of the order." in output


def test_decide_return_excluded_category_json_cites_the_exclusion(example_file: Path) -> None:
    code, output = run(
        "decide", "return", example_file, *RETURN, "--category", "bedding",
        "--reason", "changed_mind", "--asked", "2026-11-30T12:00+00:00", "--json",
    )  # fmt: skip
    assert code == 0, output
    data = json.loads(output)
    assert data["outcome"] == "refused"
    assert data["clauses"][0]["id"] == "returns.exclusions.exclusion-hygiene"
    assert data["clauses"][0]["text"].startswith("Opened bedding and pillows cannot be returned")
    assert data["refund"] is None


def test_decide_return_furniture_needs_approval(example_file: Path) -> None:
    code, output = run(
        "decide", "return", example_file, *RETURN, "--category", "furniture",
        "--reason", "changed_mind", "--asked", "2026-11-30T12:00+00:00", "--json",
    )  # fmt: skip
    assert code == 0, output
    data = json.loads(output)
    assert data["outcome"] == "needs_approval"
    assert data["clauses"][0]["id"] == "returns.categories.category-furniture"


def test_decide_return_not_informed_adds_twelve_months(example_file: Path) -> None:
    # Tue 29 Dec 2026 23:59:59 GMT + 12 months = Wed 29 Dec 2027 23:59:59 GMT.
    code, output = run(
        "decide", "return", example_file, *RETURN, "--category", "toys",
        "--reason", "changed_mind", "--asked", "2027-06-01T12:00+01:00", "--not-informed",
        "--json",
    )  # fmt: skip
    assert code == 0, output
    data = json.loads(output)
    assert (data["outcome"], data["window_ends_utc"]) == ("allowed", "2027-12-29T23:59:59+00:00")


def test_decide_return_unmet_condition_refuses_citing_it(example_file: Path) -> None:
    code, output = run(
        "decide", "return", example_file, *RETURN, "--category", "toys",
        "--reason", "changed_mind", "--asked", "2026-11-30T12:00+00:00",
        "--unmet", "return-unused", "--json",
    )  # fmt: skip
    assert code == 0, output
    assert json.loads(output)["clauses"][0]["id"] == "returns.conditions.return-unused"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reason", "bored"], "--reason: the policy has no return reason 'bored'; it has: "
         "changed_mind, wrong_item, faulty"),
        (["--reason", "changed_mind", "--price", "cheap"], "--price: 'cheap' is not an amount"),
        (["--reason", "changed_mind", "--unmet", "clean"],
         "--unmet: the policy has no return condition 'clean'"),
        (["--reason", "changed_mind", "--asked", "2026-11-01T10:00Z"], "--asked: the request"),
        (["--reason", "changed_mind", "--asked", "tomorrow"], "--asked: 'tomorrow' is not an ISO"),
    ],
)  # fmt: skip
def test_decide_return_bad_input_exits_2_naming_the_option(
    example_file: Path, args: list[str], message: str
) -> None:
    code, output = run("decide", "return", example_file, *RETURN, "--category", "toys", *args)
    assert code == 2, output
    assert message in " ".join(output.split())
    assert "Traceback" not in output
