"""Follow-ups: ilog agenda (issue 14, item 5), and owners and due dates a store requires of
every next step (item 2)."""

from __future__ import annotations

import json
from datetime import date

from conftest import Cli
from ilog.ops.agenda import agenda, week_of
from ilog.views.agenda import agenda_lines, agenda_markdown
from ilog.views.text import plain

MONDAY = date(2026, 11, 23)


def test_overdue_first_then_each_day_to_the_end_of_next_week(demo: Cli) -> None:
    found = agenda(demo.store, today=MONDAY)
    assert found.until == date(2026, 12, 6)  # Sunday of next week
    assert found.overdue and all(s.due_day < MONDAY for s in found.overdue)
    assert [s.due_day for s in found.overdue] == sorted(s.due_day for s in found.overdue)
    days = [day for day, _ in found.days]
    assert days == sorted(days) and all(MONDAY <= d <= found.until for d in days)
    due = {(s.step.text, day) for day, clients in found.days for _, steps in clients
           for s in steps}
    assert ("Send the revised SOW", date(2026, 11, 27)) in due
    for _, clients in found.days:
        assert [c for c, _ in clients] == sorted(c for c, _ in clients)
    assert week_of(date(2026, 11, 29), MONDAY) == "this week"
    assert week_of(date(2026, 11, 30), MONDAY) == "next week"


def test_owner_and_days_narrow_it(demo: Cli) -> None:
    bobs = agenda(demo.store, owner="bob", days=3, today=MONDAY)
    assert bobs.until == date(2026, 11, 25)
    steps = bobs.overdue + [s for _, cs in bobs.days for _, ss in cs for s in ss]
    assert steps and all(s.step.owner == "bob" for s in steps)


def test_lines_and_markdown(demo: Cli) -> None:
    found = agenda(demo.store, today=MONDAY)
    text = plain(agenda_lines(found))
    assert text.startswith("Overdue\n") and "This week" in text and "Next week" in text
    markdown = agenda_markdown(found)
    assert markdown.startswith("# Agenda from Monday 23 November 2026 to Sunday 06 December")
    assert "## Overdue" in markdown and "### Friday 27 November" in markdown
    assert "- **acme-corp**: Send the revised SOW (bob) — Quarterly review" in markdown


def test_the_command_in_json_and_markdown(demo: Cli) -> None:
    data = json.loads(demo("agenda", "--days", "60", "--json").stdout)
    assert set(data) == {"today", "until", "overdue", "days", "undated"}
    for day in data["days"]:
        assert day["week"] in ("this week", "next week", "later") and day["clients"]
    assert demo("agenda", "--markdown").stdout.startswith("# Agenda from ")
    demo("agenda", "--mine")  # the configured owner (else the identity before any @)


def test_markdown_escapes_what_a_record_says(demo: Cli) -> None:
    from dataclasses import replace

    found = agenda(demo.store, today=MONDAY)
    step = found.overdue[0]
    found.overdue[0] = replace(step, title="*bold* [link](x) <b>", client="a_b")
    line = next(line for line in agenda_markdown(found).splitlines() if "a\\_b" in line)
    assert "\\*bold\\* \\[link\\](x) \\<b\\>" in line


# -- required owners and deadlines (issue 14, item 2) ---------------------------------------

def require_steps(cli: Cli, needs: str = '["owner", "due"]') -> None:
    with (cli.store.root / "ilog.toml").open("a", encoding="utf-8") as settings:
        settings.write(f"\n[types.call]\nsteps_require = {needs}\n")


def test_a_store_can_require_an_owner_and_a_due_date_of_every_step(cli: Cli) -> None:
    from ilog.errors import ValidationError

    require_steps(cli)
    record = ("---\nclient: acme\ntype: call\ndate: 2026-11-20 10:00\ntitle: Kick-off\n"
              "participants: [Jane Doe]\ndecisions: none\nnext_steps:\n"
              "- text: Send the SOW\n  owner: bob\n- text: Book a room\n---\n")
    result = cli("new", "acme", "--new-client", "--stdin", input=record,
                 code=ValidationError.exit_code)
    assert "step 2 (Book a room) needs an owner and a due date" in result.stderr
    assert "[types.call] steps_require" in result.stderr and "step 1" in result.stderr
    assert not list((cli.store.root / "clients").rglob("*.md"))
    fixed = record.replace("  owner: bob\n", "  owner: bob\n  due: 2026-12-01\n").replace(
        "- text: Book a room\n", "- text: Book a room\n  owner: ann\n  due: 2026-12-02\n")
    cli("new", "acme", "--new-client", "--stdin", input=fixed)


def test_check_reports_older_records_once_steps_must_have_owners(demo: Cli) -> None:
    demo("new", "acme", "--no-edit", "-t", "note", "-p", "Jane Doe", "--title", "Older",
         "-n", "Ring Jane")  # a note's step, without an owner
    demo("check")  # clean, and remembered as clean
    with (demo.store.root / "ilog.toml").open("a", encoding="utf-8") as settings:
        settings.write('\n[types.note]\nsteps_require = ["owner"]\n')
    result = demo("check", code=32)
    assert "step 1 (Ring Jane) needs an owner" in result.stdout


def test_a_wrong_steps_require_is_named(cli: Cli) -> None:
    require_steps(cli, '["owner", "budget"]')
    assert "types.call.steps_require" in cli("check", code=None).stderr
