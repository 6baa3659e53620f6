"""The audit pack's report in each format: HTML (one self-contained file that reads well on
screen and prints well), Markdown, JSON and CSV. All say the same: every interaction with all
its versions, and what happened to each next step (done, dropped, moved, reassigned)."""

from __future__ import annotations

import csv
import io
import json
from typing import NamedTuple

from ilog.evidence.auditpack import Interaction, Pack, Version
from ilog.exchange import pages
from ilog.fileformat.codec import iso
from ilog.fileformat.versions import AMENDED, AMENDS, REASON, voided
from ilog.model import NextStep, Record
from ilog.views.jsonshapes import client_as_data, event_as_data, record_as_data
from ilog.views.text import counted, demote_headings, flat, heading, person, when_text
from ilog.views.trail import trail_texts


def as_json(pack: Pack) -> str:
    return json.dumps({
        "client": client_as_data(pack.client), "made": iso(pack.made), "commit": pack.commit,
        "uncommitted_changes": pack.uncommitted, "since": iso(pack.since),
        "until": iso(pack.until),
        "interactions": [{"versions": [{**record_as_data(v.record), "seal_state": v.seal_state,
                                        "sha256": v.sha256} for v in i.versions],
                          "step_events": {step: [event_as_data(e) for e in events]
                                          for step, events in i.events.items()}}
                         for i in pack.interactions],
    }, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ("interaction", "version", "id", "date", "type", "title", "participants",
               "decisions", "next_steps", "tags", "case", "refs", "amends", "amend_reason",
               "amended", "author", "seal", "seal_state", "sha256", "path", "body")


def as_csv(pack: Pack) -> str:
    """One row per version; a step is ``text | owner | due | history`` within its cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for interaction in pack.interactions:
        for number, version in enumerate(interaction.versions, 1):
            r = version.record
            writer.writerow([
                interaction.versions[0].record.id, number, r.id, iso(r.date), r.type, r.title,
                "; ".join(r.participants), "; ".join(r.decisions),
                "; ".join(_step_text(interaction, s) for s in r.next_steps),
                "; ".join(r.tags), r.case, "; ".join(r.refs), flat(r.extra.get(AMENDS)),
                flat(r.extra.get(REASON)), flat(r.extra.get(AMENDED)), r.author, r.seal,
                version.seal_state, version.sha256, str(r.path), r.body])
    return out.getvalue()


def _step_text(interaction: Interaction, step: NextStep) -> str:
    return (f"{step.text} | {step.owner or '-'} | {iso(step.due) or '-'} | "
            f"{_history(interaction, step)}")


def _history(interaction: Interaction, step: NextStep) -> str:
    """What happened to the step after its record set it ("open" if nothing did)."""
    return ", ".join(trail_texts(step, interaction.events.get(step.id, []))) or "open"


def as_markdown(pack: Pack) -> str:
    out = [f"# Audit pack: {pack.client.name}", "", _provenance(pack), ""]
    if pack.client.contacts:
        out += ["Contacts: " + "; ".join(pack.client.contacts), ""]
    for interaction in pack.interactions:
        latest = interaction.latest
        out += [f"## {_heading(latest)}", ""]
        for number, version in enumerate(interaction.versions, 1):
            out += [(f"### Version {number} of {len(interaction.versions)}: "
                    f"{version.record.short_id}"), ""]
            out += [f"- **{key}:** {value}" for key, value in _facts(version)]
            out += [f"- **next step** {_step_text(interaction, s)}"
                    for s in version.record.next_steps]
            if version.record.body:
                out += ["", demote_headings(version.record.body.rstrip("\n"))]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def _provenance(pack: Pack) -> str:
    where = f"git commit {pack.commit}" if pack.commit else "a store without git"
    changes = " (with changes not committed yet)" if pack.uncommitted else ""
    period = f"{iso(pack.since) or 'the first record'} to {iso(pack.until) or 'the last'}"
    return (f"Made {iso(pack.made)} from {where}{changes}; "
            f"{counted(len(pack.interactions), 'interaction')} from {period}. The files, their "
            "SHA-256 and seals are in files/ and manifest.json; README.md says how to check "
            "them.")


def _facts(version: Version) -> list[tuple[str, str]]:
    r = version.record
    rows = [("date", when_text(r.date)), ("type", r.type), ("title", r.title),
            ("participants", "; ".join(r.participants)), ("decisions", "; ".join(r.decisions)),
            ("tags", ", ".join(r.tags)), ("case", r.case), ("refs", ", ".join(r.refs)),
            ("author", r.author)]
    rows += [(key, flat(value)) for key, value in r.extra.items()]
    rows += [("attachments", "; ".join(f"{a.name} (sha256 {a.sha256})"
                                       + (f", added {a.recorded:%Y-%m-%d} by {a.by}: {a.reason}"
                                          if a.recorded else "") for a in r.attachments))]
    rows += [("file", str(r.path)), ("seal", f"{r.seal or 'none'} ({version.seal_state})"),
             ("sha256", version.sha256)]
    return [(key, value) for key, value in rows if value]


# -- HTML ------------------------------------------------------------------------------------


class Correction(NamedTuple):
    """What an amendment says of the version it corrects."""

    corrects: str  # the short id of that version
    reason: str


def as_html(pack: Pack) -> str:
    """One self-contained file: no script, no font, no image, nothing fetched
    (templates/audit.html; its style is templates/audit.css, for the screen and for print)."""
    return pages.render("audit.html", pack=pack, provenance=_provenance(pack),
                        helpers={"heading": _heading, "facts": _facts, "iso": iso,
                                 "history": _history, "correction": _correction,
                                 "markdown": pages.markdown},
                        filters={"person": person})


def _heading(record: Record) -> str:
    """The interaction's heading, from its latest version (a withdrawal says so)."""
    withdrawn = " (withdrawn)" if voided(record.extra) else ""
    return f"{when_text(record.date)} · {record.type} · {heading(record)}{withdrawn}"


def _correction(record: Record) -> Correction | None:
    reason = record.extra.get(REASON)
    return Correction(flat(record.extra.get(AMENDS))[:8], flat(reason)) if reason else None


RENDERERS = {"html": as_html, "md": as_markdown, "json": as_json, "csv": as_csv}
