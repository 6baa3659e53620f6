"""`ilog new`: flags, editor and stdin, all validated by the same rules."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import Cli, editor_command
from ilog.errors import (
    AbortedError,
    ClientError,
    DateError,
    NotFoundError,
    UnknownClientError,
    ValidationError,
)
from ilog.fileformat import codec
from ilog.store.layout import Store

FULL = ["--type", "call", "--title", "Quarterly review", "--date", "2026-11-22 15:00",
        "-p", "Jane Doe (Acme, CFO) <jane@acme.example>", "-p", "Bob Smith (us)",
        "-d", "Renew for 12 months", "-n", "Send the revised SOW @bob due:2026-11-27",
        "--tag", "renewal", "--no-edit"]


def records(store: Store) -> list[Path]:
    return list(store.record_paths())


def test_flags_create_a_valid_record_and_print_its_id_and_path(cli: Cli) -> None:
    result = cli("new", "Acme Corp", *FULL, "--new-client")
    short, path = result.output.split()[1:3]
    assert path.startswith("clients/acme-corp/2026/2026-11-22-quarterly-review-")
    record = cli.store.read(cli.store.root / path)
    assert record.short_id == short and record.client == "acme-corp"
    assert record.next_steps[0].owner == "bob" and record.channel == "phone"
    assert record.author == "author@example.test"
    profile = (cli.store.root / "clients/acme-corp/client.yaml").read_text()
    assert "name: Acme Corp" in profile
    assert cli("check").exit_code == 0


def test_json_output_is_the_record(cli: Cli) -> None:
    data = json.loads(cli("new", "acme", *FULL, "--new-client", "--json").stdout)
    assert data["client"] == "acme" and data["type"] == "call"
    assert data["date"].startswith("2026-11-22T15:00:00")
    assert data["next_steps"][0]["due"] == "2026-11-27"
    assert data["path"].endswith(f"-{data['short_id']}.md")


def test_missing_required_fields_are_named(cli: Cli) -> None:
    result = cli("new", "acme", "--new-client", "--no-edit", "-p", "Jane",
                 code=ValidationError.exit_code)
    assert "decisions: required for a call record" in result.output
    assert "; next_steps: required for a call record" in result.output  # all at once
    assert records(cli.store) == []
    assert not (cli.store.root / "clients/acme").exists()


def test_none_is_accepted_where_written_explicitly(cli: Cli) -> None:
    cli("new", "acme", "--new-client", "--no-edit", "-p", "Jane", "-d", "none", "-n", "none")
    text = records(cli.store)[0].read_text()
    assert "decisions: none\n" in text and "next_steps: none\n" in text


def test_type_rules(cli: Cli) -> None:
    base = ["acme", "--new-client", "--no-edit", "-p", "Jane"]
    result = cli("new", *base, "--type", "email", code=ValidationError.exit_code)
    assert "sender: required" in result.output
    cli("new", *base, "--type", "email", "--set", "sender=Jane <j@a.example>",
        "--set", "recipients=Bob <b@c.example>", "--set", "subject=Renewal")
    result = cli("new", *base, "--type", "approval", "--set", "approver=Jane",
                 code=ValidationError.exit_code)
    assert "approved: required" in result.output
    cli("new", *base, "--type", "note")
    result = cli("new", *base, "--type", "memo", code=NotFoundError.exit_code)
    assert "unknown type 'memo'" in result.output and "call" in result.output


def test_email_participants_come_from_sender_and_recipients(cli: Cli) -> None:
    cli("new", "acme", "--new-client", "--no-edit", "--type", "email",
        "--set", "sender=Jane <j@a.example>", "--set", "recipients=Bob <b@c.example>",
        "--set", "recipients=Ann <a@c.example>", "--set", "subject=Renewal")
    record = cli.store.read(records(cli.store)[0])
    assert record.participants == ["Jane <j@a.example>", "Bob <b@c.example>",
                                   "Ann <a@c.example>"]


def test_store_settings_add_required_fields(cli: Cli) -> None:
    toml = cli.store.root / "ilog.toml"
    toml.write_text(toml.read_text() + '\n[types.support]\nrequired = ["case"]\n')
    result = cli("new", "acme", "--new-client", "--no-edit", "--type", "support", "-p", "J",
                 "-n", "Fix it @bob", code=ValidationError.exit_code)
    assert "case: required for a support record" in result.output
    cli("new", "acme", "--new-client", "--no-edit", "--type", "support", "-p", "J",
        "-n", "Fix it @bob", "--case", "ACME-1")


def test_store_templates_override_and_add_types(cli: Cli) -> None:
    folder = cli.store.root / "templates"
    folder.mkdir()
    (folder / "workshop.md").write_text("---\ndescription: A workshop\nrequired: [outcome]\n"
                                        "---\n## Notes\n")
    result = cli("new", "acme", "--new-client", "--no-edit", "-t", "workshop", "-p", "J",
                 code=ValidationError.exit_code)
    assert "outcome: required for a workshop record" in result.output
    cli("new", "acme", "--new-client", "--no-edit", "-t", "workshop", "-p", "J",
        "--set", "outcome=Agreed scope")
    assert "workshop" in cli("templates").output


def test_unknown_client_suggests_the_nearest(cli: Cli) -> None:
    cli("new", "Acme Corp", *FULL, "--new-client")
    result = cli("new", "acme crop", *FULL, code=UnknownClientError.exit_code)
    assert "no client 'acme crop'" in result.output and "did you mean acme-corp" in result.output


def test_clients_resolve_by_alias_prefix_case_and_accents(cli: Cli) -> None:
    cli("new", "Müller GmbH", *FULL, "--new-client")
    profile = cli.store.root / "clients/muller-gmbh/client.yaml"
    profile.write_text(profile.read_text().replace("aliases: []", "aliases: [mg]"))
    for name in ("MÜLLER gmbh", "Mu\u0308ller GmbH", "mull", "MG"):
        cli("new", name, *FULL)
    assert [p.parent.parent.name for p in records(cli.store)] == ["muller-gmbh"] * 5


@pytest.mark.parametrize("name", ["../x", "/etc", "a/b", "a\\b", "x\x00y", "CON", "..", "  ",
                                  "***"])
def test_hostile_client_names_touch_nothing_outside_clients(cli: Cli, name: str) -> None:
    before = set(cli.store.root.parent.rglob("*"))
    result = cli("new", name, *FULL, "--new-client", code=ClientError.exit_code)
    assert result.output.startswith("ilog: ")
    assert set(cli.store.root.parent.rglob("*")) == before


def test_bad_date_is_a_clear_error(cli: Cli) -> None:
    result = cli("new", "acme", *FULL, "--new-client", "--date", "someday",
                 code=DateError.exit_code)
    assert "cannot understand the date 'someday'" in result.output
    assert "Traceback" not in result.output


def test_stdin_body_with_metadata_from_flags(cli: Cli) -> None:
    cli("new", "acme", *FULL[:-1], "--new-client", "--stdin", input="Talked about **money**.\n")
    assert cli.store.read(records(cli.store)[0]).body == "Talked about **money**.\n"


def test_stdin_whole_record_in_the_file_format(cli: Cli) -> None:
    text = textwrap.dedent("""\
        ---
        type: meeting
        date: 2026-11-20T09:00:00+01:00
        title: Kick-off
        participants: [Jane Doe (Acme)]
        decisions: [Start in January]
        next_steps:
        - Draft plan @bob due:2026-12-01
        budget: 12000
        ---
        Agenda went well.
        """)
    result = cli("new", "acme", "--new-client", "--stdin", "--json", input=text)
    data = json.loads(result.stdout)
    assert data["type"] == "meeting" and data["title"] == "Kick-off"
    assert data["next_steps"][0]["owner"] == "bob" and data["fields"] == {"budget": "12000"}


def test_stdin_record_for_another_client_is_refused(cli: Cli) -> None:
    cli("new", "acme", *FULL, "--new-client")
    text = "---\nclient: beta\ntype: note\nparticipants: [x]\n---\n"
    result = cli("new", "acme", "--stdin", input=text, code=ClientError.exit_code)
    assert "is for client 'beta'" in result.output


# -- the editor -------------------------------------------------------------------------

def make_editor(tmp_path: Path, body: str) -> str:
    """An editor that runs ``body`` (Python, with ``path``, ``text`` and ``run`` defined)."""
    script = tmp_path / "fake_editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "path = pathlib.Path(sys.argv[1])\n"
        "text = path.read_text()\n"
        "counter = pathlib.Path(sys.argv[0]).with_suffix('.count')\n"
        "run = int(counter.read_text()) + 1 if counter.exists() else 1\n"
        "counter.write_text(str(run))\n" + textwrap.dedent(body))
    return editor_command(script)


def test_editor_shows_the_template_with_flags_filled_in(cli: Cli, tmp_path: Path) -> None:
    editor = make_editor(tmp_path, """\
        pathlib.Path(sys.argv[0]).with_suffix('.seen').write_text(text)
        text = text.replace('decisions:  # (required)\\n-', 'decisions:\\n  - Go ahead')
        text = text.replace('next_steps:  # (required)\\n-', 'next_steps:\\n  - Plan @bob')
        path.write_text(text)
        """)
    result = cli("new", "acme", "--new-client", "-p", "Jane Doe", "--title", "Call",
                 env={"EDITOR": editor})
    seen = (tmp_path / "fake_editor.seen").read_text()
    assert "- Jane Doe" in seen and "channel: phone  # phone | video | in person" in seen
    assert "## Summary" in seen
    record = cli.store.read(records(cli.store)[0])
    assert record.decisions == ["Go ahead"] and record.next_steps[0].owner == "bob"
    assert result.output.startswith("Recorded ")


@pytest.mark.parametrize("body", ["pass", "path.write_text('')",
                                  "path.write_text('---\\n# only a comment\\n---\\n')"])
def test_unchanged_or_empty_buffer_aborts_with_nothing_written(cli: Cli, tmp_path: Path,
                                                                body: str) -> None:
    result = cli("new", "acme", "--new-client", env={"EDITOR": make_editor(tmp_path, body)},
                 code=AbortedError.exit_code)
    assert "nothing was saved" in result.output
    assert records(cli.store) == [] and not (cli.store.root / "clients/acme").exists()
    assert list((cli.store.root / ".ilog/drafts").iterdir()) == []


def test_a_buffer_prefilled_from_flags_is_content_even_unchanged(cli: Cli,
                                                                  tmp_path: Path) -> None:
    """All given by flags but --no-edit forgotten: saving the buffer as it is records it (as
    git commit -m MSG -e does)."""
    out = cli("new", "acme", "--new-client", "-p", "Jane", "-d", "none", "-n", "none",
              env={"EDITOR": make_editor(tmp_path, "pass")}).stdout
    assert out.startswith("Recorded ") and len(records(cli.store)) == 1


def test_invalid_buffer_is_reopened_with_the_errors_shown(cli: Cli, tmp_path: Path) -> None:
    editor = make_editor(tmp_path, """\
        if run == 1:
            path.write_text(text.replace('participants:  # (required)\\n-',
                                         'participants:\\n  - Jane'))
        else:
            pathlib.Path(sys.argv[0]).with_suffix('.seen').write_text(text)
            text = text.replace('decisions:  # (required)\\n-', 'decisions: none')
            path.write_text(text.replace('next_steps:  # (required)\\n-', 'next_steps: none'))
        """)
    cli("new", "acme", "--new-client", env={"EDITOR": editor})
    seen = (tmp_path / "fake_editor.seen").read_text()
    assert "# ilog: decisions: required for a call record" in seen
    assert "- Jane" in seen
    assert len(records(cli.store)) == 1


def test_giving_up_keeps_the_text_in_a_named_draft(cli: Cli, tmp_path: Path) -> None:
    editor = make_editor(tmp_path, """\
        if run == 1:
            path.write_text(text.replace('title:', 'title: My precious notes'))
        """)
    result = cli("new", "acme", "--new-client", env={"EDITOR": editor},
                 code=AbortedError.exit_code)
    draft = Path(result.output.split("kept in ")[1].split()[0])
    assert "My precious notes" in draft.read_text()
    assert records(cli.store) == []


def test_a_failing_editor_keeps_the_draft(cli: Cli, tmp_path: Path) -> None:
    editor = make_editor(tmp_path, "path.write_text(text + 'typed'); sys.exit(3)")
    result = cli("new", "acme", "--new-client", env={"EDITOR": editor}, code=31)
    assert "exited with status 3" in result.output and "kept in" in result.output


def test_no_editor_and_no_terminal_says_what_to_do(cli: Cli) -> None:
    result = cli("new", "acme", "--new-client", code=31)
    assert "set $EDITOR, or use --no-edit or --stdin" in result.output


# -- concurrency ------------------------------------------------------------------------

def test_ten_processes_at_once_all_land(store: Store) -> None:
    args = [sys.executable, "-m", "ilog", "--store", str(store.root), "new", "acme",
            "--new-client", *FULL]
    processes = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(10)]
    outputs = [p.communicate(timeout=60) for p in processes]
    assert [p.returncode for p in processes] == [0] * 10, outputs
    files = list(store.record_paths())
    assert len(files) == 10 and len({f.name for f in files}) == 10
    assert len({codec.parse(f.read_text()).id for f in files}) == 10


def test_a_program_records_an_interaction_from_typed_values(store: Store) -> None:
    """The library way in: objects, not command-line strings parsed again."""
    from datetime import date, datetime, timedelta, timezone

    from ilog.model import NextStep, Participant
    from ilog.ops.capture import Interaction, new_record

    when = datetime(2026, 11, 20, 15, 0, tzinfo=timezone(timedelta(hours=1)))
    record = new_record(store, Interaction(
        client="Acme Corp", type="call", date=when, title="Renewal call",
        participants=[Participant("Jane Doe", "Acme", "CFO", "jane@acme.example"), "Bob (us)"],
        decisions=["Renew for 12 months"],
        next_steps=[NextStep("", "Send the SOW", "bob", date(2026, 11, 27))]),
        new_client=True)
    text = store.file_of(record).read_text()
    assert "- Jane Doe (Acme, CFO) <jane@acme.example>\n- Bob (us)\n" in text
    again = store.read(store.file_of(record))
    assert again.date == when and again.seal
    assert again.next_steps[0].due == date(2026, 11, 27) and len(again.next_steps[0].id) == 12
    none_said = new_record(store, Interaction(client="acme-corp", type="call", date=when,
                                              participants=["Jane Doe"], decisions=[],
                                              next_steps=[]))
    assert "decisions: none" in store.file_of(none_said).read_text()


# -- client names: no near-duplicates, no silent partial matches (issue 11, item 7) ------------

@pytest.mark.parametrize("name", ["acmee", "glob", "northw", "mueler", "initec"])
def test_a_client_close_to_an_existing_one_needs_distinct(demo: Cli, name: str) -> None:
    new = ("new", name, "--new-client", "--no-edit", "-t", "note", "-p", "x")
    result = demo(*new, code=26)
    assert "is close to" in result.output and "--distinct" in result.output
    demo(*new, "--distinct")


def test_only_a_near_twin_is_told_about_distinct(demo: Cli) -> None:
    result = demo("new", "con", "--new-client", "--no-edit", "-t", "note", "-p", "x", code=26)
    assert "reserved device name" in result.output and "--distinct" not in result.output


def test_an_exact_name_or_alias_with_new_client_uses_the_client(demo: Cli) -> None:
    out = demo("new", "globex", "--new-client", "--no-edit", "-t", "note", "-p", "x").stdout
    assert "clients/globex-ltd/" in out


def test_a_partial_match_is_said(demo: Cli) -> None:
    result = demo("new", "glob", "--no-edit", "-t", "note", "-p", "x")
    assert "'glob' taken as globex-ltd" in result.stderr
    assert "taken as" not in demo("new", "acme", "--no-edit", "-t", "note", "-p", "x").stderr


def test_types_are_matched_without_case_and_suggested(demo: Cli) -> None:
    out = demo("new", "acme", "--no-edit", "-t", "CALL", "-p", "x", "-d", "none", "-n",
               "none").stdout
    assert "-call-" in out
    result = demo("new", "acme", "--no-edit", "-t", "calll", "-p", "x", code=27)
    assert "did you mean call?" in result.output and "{name}" not in result.output


def test_kept_drafts_are_listed_with_how_to_record_them(cli: Cli, tmp_path: Path) -> None:
    assert "No drafts" in cli("drafts").output
    editor = make_editor(tmp_path, "path.write_text('title: Budget talk' + chr(10) + 'no')")
    result = cli("new", "acme", "--new-client", "-p", "Jane", env={"EDITOR": editor},
                 code=AbortedError.exit_code)
    assert "still invalid after 20 rounds" in result.output
    listed = json.loads(cli("drafts", "--json").stdout)
    assert len(listed) == 1 and listed[0]["kind"] == "new" and listed[0]["subject"] == "acme"
    assert listed[0]["first_line"] == "Budget talk"
    assert listed[0]["resume"] == f"ilog new acme --stdin < {listed[0]['path']}"
    assert "ilog new acme --stdin <" in cli("drafts").output


@pytest.mark.parametrize(("name", "slug"), [
    ("Łódź Sp. z o.o.", "lodz-sp-z-o-o"), ("Αθήνα Ltd", "athina-ltd"),
    ("東京商事", "dongjingshangshi"), ("Müller & Söhne", "muller-sohne"),
])
def test_every_script_gets_a_readable_folder_name(cli: Cli, name: str, slug: str) -> None:
    out = cli("new", name, "--new-client", "--no-edit", "-t", "note", "-p", "x").stdout
    assert f"clients/{slug}/" in out
    assert json.loads(cli("clients", "--json").stdout)[0]["name"] == name


def test_a_name_that_lost_its_letters_is_no_twin(cli: Cli) -> None:
    cli("new", "Łódź Sp. z o.o.", "--new-client", "--no-edit", "-t", "note", "-p", "x")
    result = cli("new", "ODZ sp z o o", "--new-client", "--no-edit", "-t", "note", "-p", "x",
                 code=26)
    assert "is close to lodz-sp-z-o-o" in result.output


def test_every_problem_of_typed_input_is_told_at_once_with_the_documented_code(
        cli: Cli, tmp_path: Path) -> None:
    """Issue 24 F7: a bad date was told first (exit 24), the missing fields only in the next
    round; now one message names them all, and a bad date alone exits 25 (exit-codes.md)."""
    both = "---\ntype: call\ndate: 2026-13-45\ntitle: x\n---\nbody\n"
    said = cli("new", "acme", "--new-client", "--stdin", input=both,
               code=ValidationError.exit_code).stderr
    assert "cannot understand the date '2026-13-45'" in said
    assert all(f"{key}: required" in said for key in ("participants", "decisions",
                                                      "next_steps"))
    alone = "---\ntype: note\ndate: someday\ntitle: x\nparticipants: [Jane]\n---\nbody\n"
    assert cli("new", "acme", "--new-client", "--stdin", input=alone,
               code=DateError.exit_code).stderr.count("ilog:") == 1
    editor = make_editor(tmp_path, """\
        if run == 1:
            path.write_text(text.replace('date:', 'date: the day after never #'))
        else:
            pathlib.Path(sys.argv[0]).with_suffix('.seen').write_text(text)
        """)
    cli("new", "acme", "--new-client", env={"EDITOR": editor}, code=AbortedError.exit_code)
    seen = (tmp_path / "fake_editor.seen").read_text()
    assert "# ilog: date: cannot understand" in seen
    assert "# ilog: participants: required for a call record" in seen
    assert records(cli.store) == []
