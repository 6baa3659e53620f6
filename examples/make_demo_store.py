"""Regenerate examples/demo-store: a small, realistic store used by the README and tests.

    python examples/make_demo_store.py

Ids come from a fixed seed, so the output is the same on every run.
"""

from __future__ import annotations

import random
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from ilog.fileformat import ids
from ilog.model import NextStep, Record
from ilog.store.layout import Store
from ilog.store.locate import init_store
from ilog.store.profiles import create_client

ROOT = Path(__file__).resolve().parent / "demo-store"
CET = timezone(timedelta(hours=1))
rng = random.Random(20261123)

CLIENTS = {
    "Acme Corp": (["acme"], ["Jane Doe (Acme, CFO) <jane@acme.example>",
                             "Raj Patel (Acme, IT lead) <raj@acme.example>"]),
    "Globex Ltd": (["globex"], ["Hank Scorpio (Globex, CEO) <hank@globex.example>",
                                "Mindy Lee (Globex, Procurement) <mindy@globex.example>"]),
    "Initech": ([], ["Bill Lumbergh (Initech, VP) <bill@initech.example>",
                     "Milton Waddams (Initech, Facilities) <milton@initech.example>"]),
    "Northwind Traders": (["northwind", "nwt"], [
        "Sofia Ramos (Northwind, COO) <sofia@northwind.example>",
        "Tom Becker (Northwind, Warehouse) <tom@northwind.example>"]),
    "Müller & Söhne GmbH": (["mueller", "muller"], [
        "Klara Müller (Müller & Söhne, Geschäftsführerin) <klara@mueller.example>"]),
}
US = ["Bob Smith (us) <bob@consultancy.example>", "Alice Chen (us) <alice@consultancy.example>"]


def rid(length: int = ids.RECORD_ID_LENGTH) -> str:
    return "".join(rng.choice(ids.ALPHABET) for _ in range(length))


def step(text: str, owner: str, due: date | None) -> NextStep:
    return NextStep(id=rid(ids.STEP_ID_LENGTH), text=text, owner=owner, due=due)


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=CET)


def record(client: str, type_: str, when: datetime | date, title: str, people: list[str],
           **fields: object) -> Record:
    known = {k: fields.pop(k) for k in list(fields) if k in Record.__dataclass_fields__}
    nones = frozenset(k for k, v in known.items() if v == "none")
    known = {k: ([] if v == "none" else v) for k, v in known.items()}
    made = Record(id=rid(), client=client, type=type_, date=when, title=title,
                  participants=people, author="bob@consultancy.example", extra=dict(fields),
                  **known)
    made.explicit_none = nones
    return made


def acme(c: list[str]) -> list[Record]:
    jane, raj = c
    bob, alice = US
    return [
        record("acme-corp", "meeting", at("2026-03-02", 9), "Kick-off: finance system review",
               [jane, raj, bob, alice], channel="in person", location="Acme HQ, room 4",
               tags=["kickoff"], case="ACME-2026-01",
               decisions=["Scope covers accounts payable and receivable only",
                          "Weekly status call on Mondays at 10:00"],
               next_steps=[step("Send the statement of work", "bob", date(2026, 3, 6)),
                           step("Grant read access to the ERP sandbox", "raj",
                                date(2026, 3, 9))],
               body="Jane wants the review finished before the budget round in June.\n\n"
                    "## Concerns\n\n- Raj worries about data exports from the old system.\n"),
        record("acme-corp", "approval", at("2026-03-10", 16, 5), "SOW v2 approved",
               [jane], approver=jane, approved="Statement of work v2, EUR 48,000 fixed price",
               channel="email", refs=["SOW-2026-014"], case="ACME-2026-01",
               body="Approved by reply email; PDF attached to the thread.\n"),
        record("acme-corp", "call", at("2026-06-15", 14, 30), "Findings walkthrough",
               [jane, bob], channel="video", tags=["findings"], case="ACME-2026-01",
               decisions=["Prioritise the duplicate-payment fix", "Defer the AR dashboard"],
               next_steps=[step("Write the remediation plan", "alice", date(2026, 6, 26))]),
        record("acme-corp", "email", at("2026-09-01", 8, 12), "Invoice INV-2031 disputed",
               [jane, bob], sender=jane, recipients=[bob], subject="INV-2031 hours",
               refs=["INV-2031"], tags=["billing", "dispute"],
               body="Jane says 6 hours of the August invoice were not agreed.\n"),
        record("acme-corp", "call", at("2026-09-03", 11), "Invoice dispute call",
               [jane, bob], channel="phone", refs=["INV-2031"], tags=["billing", "dispute"],
               decisions=["Credit 3 of the 6 disputed hours",
                          "Future extra work needs written approval first"],
               next_steps=[step("Issue credit note for 3 hours", "bob", date(2026, 9, 10)),
                           step("Add approval step to our change process", "alice",
                                date(2026, 11, 20))]),
        record("acme-corp", "support", at("2026-10-20", 15, 45), "Export job fails nightly",
               [raj, alice], channel="portal", priority="high", status="open",
               case="ACME-SUP-7",
               next_steps=[step("Collect the job logs", "raj", date(2026, 10, 22)),
                           step("Patch the export mapping", "alice", date(2026, 11, 18))],
               body="## Reported problem\n\nThe nightly export stops at 02:10 with a "
                    "timeout.\n"),
        record("acme-corp", "call", at("2026-11-22", 15), "Quarterly review",
               [jane, bob], channel="video", tags=["renewal"], case="ACME-2026-03",
               decisions=["Renew for 12 months at the current rate"],
               next_steps=[step("Send the revised SOW", "bob", date(2026, 11, 27))]),
    ]


def globex(c: list[str]) -> list[Record]:
    hank, mindy = c
    bob, alice = US
    return [
        record("globex-ltd", "meeting", at("2026-01-14", 13), "Discovery workshop",
               [hank, mindy, bob], channel="video", tags=["discovery"],
               decisions=["Pilot in the Lisbon office first"],
               next_steps=[step("Draft pilot plan", "bob", date(2026, 1, 28))]),
        record("globex-ltd", "note", date(2026, 2, 3), "Procurement needs three quotes",
               [mindy], body="Mindy: any order over EUR 20k needs three competing quotes.\n"),
        record("globex-ltd", "approval", at("2026-02-20", 10), "Pilot budget approved",
               [hank], approver=hank, approved="Pilot budget EUR 18,500", channel="signature",
               refs=["PO-88121"]),
        record("globex-ltd", "call", at("2026-05-05", 9, 30), "Pilot retrospective",
               [hank, mindy, bob, alice], channel="video",
               decisions=["Roll out to Madrid and Porto in Q3"],
               next_steps=[step("Prepare rollout quote", "alice", date(2026, 5, 19)),
                           step("Book trainers for Madrid", "mindy", date(2026, 6, 1))]),
        record("globex-ltd", "email", at("2026-10-30", 17, 2), "Rollout paused",
               [mindy, bob], sender=mindy, recipients=[bob, alice],
               subject="Re: Porto rollout", tags=["risk"],
               body="Globex is freezing spend until January.\n"),
        record("globex-ltd", "call", at("2026-11-12", 16), "Budget freeze follow-up",
               [hank, bob], channel="phone", decisions="none",
               next_steps=[step("Check in again about the January budget", "bob",
                                date(2027, 1, 8))]),
    ]


def initech(c: list[str]) -> list[Record]:
    bill, milton = c
    _, alice = US
    return [
        record("initech", "meeting", at("2026-04-08", 10), "TPS report process review",
               [bill, milton, alice], channel="in person", location="Initech, floor 3",
               decisions=["Replace cover sheets with an automated checklist"],
               next_steps=[step("Prototype checklist", "alice", date(2026, 4, 30)),
                           step("Find Milton's stapler", "bill", date(2026, 4, 10))]),
        record("initech", "support", at("2026-08-19", 9), "Printer on floor 3 jams",
               [milton, alice], channel="phone", priority="low", status="resolved",
               next_steps="none", body="Resolved by replacing the paper tray.\n"),
        record("initech", "call", at("2026-11-16", 11), "Checklist adoption",
               [bill, alice], channel="video", decisions=["Mandatory from 1 December"],
               next_steps=[step("Send the memo to all staff", "bill", date(2026, 11, 19)),
                           step("Run two training sessions", "alice", date(2026, 11, 30))]),
    ]


def mueller(c: list[str]) -> list[Record]:
    (klara,) = c
    bob, _ = US
    return [
        record("muller-sohne-gmbh", "meeting", at("2026-07-01", 14), "Erstgespräch",
               [klara, bob], channel="in person", location="Stuttgart",
               decisions=["Angebot bis Ende Juli"],
               next_steps=[step("Angebot schicken", "bob", date(2026, 7, 31))],
               body="Klara prefers German for written documents.\n"),
        record("muller-sohne-gmbh", "call", at("2026-10-05", 10), "Angebot besprochen",
               [klara, bob], channel="phone", decisions=["Start im Februar 2027"],
               next_steps=[step("Vertrag vorbereiten", "bob", date(2026, 11, 13))]),
    ]


NORTHWIND_CALLS = [
    ("2026-02-10", "Warehouse scanning pilot", "Use handheld scanners in bay 2",
     "Order 10 scanners", "tom", "2026-02-24"),
    ("2026-03-17", "Scanner pilot check-in", "Extend pilot by four weeks",
     "Collect error rates per shift", "tom", "2026-04-14"),
    ("2026-04-21", "Pilot results", "Roll out scanners to all bays",
     "Quote for 40 more scanners", "alice", "2026-05-05"),
    ("2026-06-02", "Carrier contract renewal", "Keep two carriers for resilience",
     "Compare carrier SLAs", "bob", "2026-06-16"),
    ("2026-07-14", "Peak season planning", "Hire 6 temporary pickers for November",
     "Draft temp staffing plan", "sofia", "2026-08-01"),
    ("2026-09-08", "Returns process", "Returns get their own bay from October",
     "Design returns bay layout", "alice", "2026-09-30"),
    ("2026-10-13", "Peak readiness review", "Go/no-go meeting on 2 November",
     "Test the overflow process", "tom", "2026-10-30"),
    ("2026-11-18", "Peak week one", "Add a Saturday shift",
     "Report pick rates daily", "tom", "2026-11-28"),
]


def northwind(c: list[str]) -> list[Record]:
    sofia, tom = c
    bob, alice = US
    made = [record("northwind-traders", "call", at(day, 9, 30), title, [sofia, tom, bob],
                   channel="video", tags=["warehouse"], decisions=[decision],
                   next_steps=[step(text, owner, date.fromisoformat(due))])
            for day, title, decision, text, owner, due in NORTHWIND_CALLS]
    made += [
        record("northwind-traders", "email", at("2026-05-06", 12, 40), "Scanner quote sent",
               [sofia, alice], sender=alice, recipients=[sofia], subject="Quote Q-2026-31",
               refs=["Q-2026-31"], body="Quote for 40 scanners, EUR 14,200, valid 30 days.\n"),
        record("northwind-traders", "approval", at("2026-05-12", 9), "Scanner quote approved",
               [sofia], approver=sofia, approved="Quote Q-2026-31 for 40 scanners",
               channel="email", refs=["Q-2026-31"]),
        record("northwind-traders", "support", at("2026-11-20", 7, 55), "Scanner sync errors",
               [tom, alice], channel="chat", priority="urgent", status="waiting",
               case="NWT-SUP-12",
               next_steps=[step("Send firmware logs", "tom", date(2026, 11, 21)),
                           step("Escalate to vendor", "alice", date(2026, 11, 24))]),
        record("northwind-traders", "note", date(2026, 8, 20), "Sofia on leave in August",
               [sofia], body="Tom is the contact until 31 August.\n", tags=["contact"]),
        record("northwind-traders", "meeting", at("2026-11-02", 8), "Peak go/no-go",
               [sofia, tom, bob, alice], channel="in person", location="Northwind DC",
               decisions=["Go for peak with overflow bay", "Daily stand-up at 07:30"],
               next_steps=[step("Staff the overflow bay", "sofia", date(2026, 11, 9))]),
    ]
    return made


def main() -> None:
    shutil.rmtree(ROOT, ignore_errors=True)
    init_store(ROOT, git=False)
    store = Store(ROOT)
    makers = {"Acme Corp": acme, "Globex Ltd": globex, "Initech": initech,
              "Northwind Traders": northwind, "Müller & Söhne GmbH": mueller}
    for name, (aliases, contacts) in CLIENTS.items():
        client = create_client(store, name, aliases=aliases)
        profile = store.clients_dir / client.slug / "client.yaml"
        profile.write_text(profile.read_text().replace("contacts: []\n", "contacts:\n" + "".join(
            f"- {c}\n" for c in contacts)), encoding="utf-8")
        for item in makers[name](contacts):
            store.write_new(item)
    print(f"wrote {sum(1 for _ in store.record_paths())} records to {ROOT}")


if __name__ == "__main__":
    main()
