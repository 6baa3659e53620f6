"""The audit pack's report in each format: HTML (one self-contained file that reads well on
screen and prints well), Markdown, JSON and CSV. All say the same: every interaction with all
its versions, and what happened to each next step (done, dropped, moved, reassigned)."""

from __future__ import annotations

import csv
import io
import json
from html import escape

from ilog.evidence.auditpack import Interaction, Pack, Version
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

_CSS = """
:root { --ink: #1d232b; --muted: #5b6673; --line: #d6dbe1; --accent: #1f5f99; --warn: #9a3412; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
       max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 0; padding-top: .5rem; border-top: 2px solid var(--accent); }
h3 { font-size: 1rem; margin: 1rem 0 .25rem; color: var(--accent); }
.meta, .muted { color: var(--muted); }
nav ol { columns: 2; font-size: .9rem; }
article { margin: 2rem 0; }
dl { display: grid; grid-template-columns: 9rem 1fr; gap: .15rem 1rem; margin: .5rem 0; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .5rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .5rem; text-align: left;
         vertical-align: top; }
.body { border-left: 3px solid var(--line); padding-left: 1rem; }
.body h1, .body h2, .body h3, .body h4 { font-size: 1rem; border: 0; padding: 0;
                                         margin: .75rem 0 .25rem; color: inherit; }
.amended { color: var(--warn); font-weight: 600; }
code { font-size: .85em; overflow-wrap: anywhere; }
@media print {
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  nav { break-after: page; }
  article { break-before: page; }
  h2, h3 { break-after: avoid; }
  table, dl, .version { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  @page { margin: 18mm 16mm; }
}
"""


def as_html(pack: Pack) -> str:
    """One self-contained file: no script, no font, no image, nothing fetched."""
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Audit pack: {escape(pack.client.name)}</title>", f"<style>{_CSS}</style>",
             "</head>", "<body>", "<header>", f"<h1>{escape(pack.client.name)}</h1>",
             f'<p class="meta">{escape(_provenance(pack))}</p>']
    if pack.client.contacts:
        parts.append("<p>Contacts: " + "; ".join(escape(c) for c in pack.client.contacts)
                     + "</p>")
    parts += ["</header>", "<nav>", "<h2>Interactions</h2>", "<ol>"]
    parts += [f'<li><a href="#r-{i.versions[0].record.id}">{escape(_heading(i.latest))}</a>'
              + (' <span class="amended">amended</span>' if len(i.versions) > 1 else "")
              + "</li>" for i in pack.interactions]
    parts += ["</ol>", "</nav>", "<main>"]
    parts += [_article(i) for i in pack.interactions]
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _heading(record: Record) -> str:
    """The interaction's heading, from its latest version (a withdrawal says so)."""
    withdrawn = " (withdrawn)" if voided(record.extra) else ""
    return f"{when_text(record.date)} · {record.type} · {heading(record)}{withdrawn}"


def _article(interaction: Interaction) -> str:
    first = interaction.versions[0].record
    parts = [f'<article id="r-{first.id}">', f"<h2>{escape(_heading(interaction.latest))}</h2>"]
    count = len(interaction.versions)
    for number, version in enumerate(interaction.versions, 1):
        parts.append('<section class="version">')
        reason = version.record.extra.get(REASON)
        label = f"Version {number} of {count}" if count > 1 else "Record"
        corrects = escape(flat(version.record.extra.get(AMENDS)))[:8]
        note = f' <span class="amended">corrects {corrects}: {escape(flat(reason))}</span>' \
            if reason else ""
        parts.append(f"<h3>{label}: <code>{version.record.id}</code>{note}</h3>")
        parts.append("<dl>" + "".join(f"<dt>{escape(k)}</dt><dd>{_value(k, v)}</dd>"
                                      for k, v in _facts(version)
                                      if k not in ("participants",)) + "</dl>")
        parts += _people(version.record) + _steps(interaction, version.record)
        if version.record.body:
            parts.append(f'<div class="body">{_markdown(version.record.body)}</div>')
        parts.append("</section>")
    return "\n".join([*parts, "</article>"])


def _value(key: str, value: str) -> str:
    return f"<code>{escape(value)}</code>" if key in ("seal", "sha256", "file") else escape(value)


def _people(record: Record) -> list[str]:
    if not record.participants:
        return []
    return ["<p>With: " + ", ".join(escape(person(p)) for p in record.participants) + "</p>"]


def _steps(interaction: Interaction, record: Record) -> list[str]:
    if not record.next_steps:
        return []
    rows = "".join(
        f"<tr><td>{escape(s.text)}</td><td>{escape(s.owner or '-')}</td>"
        f"<td>{escape(iso(s.due) or '-')}</td><td>"
        + escape(_history(interaction, s)) + "</td></tr>" for s in record.next_steps)
    return [("<table><thead><tr><th>Next step</th><th>Owner</th><th>Due</th><th>History</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>")]


def _markdown(text: str) -> str:
    from markdown_it import MarkdownIt  # only for HTML packs

    html: str = MarkdownIt("commonmark", {"html": False}).render(text)
    return html


RENDERERS = {"html": as_html, "md": as_markdown, "json": as_json, "csv": as_csv}
