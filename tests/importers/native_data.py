"""A small, complete native portfolio (every file, every column) for the import and export tests."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from importers.native import FILES

#: File stem -> CSV text. Every column of the native format appears at least once.
NATIVE_CSV: dict[str, str] = {
    "staff": (
        "id,name,email,title,level,team_role,until\n"
        "s1,Sam Rep,sam@ourco.example,Account Executive,management,account_rep,\n"
        "s2,Sol Spec,sol@ourco.example,Solution Architect,operational,solution_specialist,\n"
        "s3,Vera Exec,vera@ourco.example,Chief Revenue Officer,executive,executive_sponsor,2030-12-31\n"
    ),
    "accounts": (
        "id,name,industry,region,tier,annual_revenue,potential_revenue,owner,domains,strategic_fit,relationship_cost\n"
        "acme,Acme Corp,manufacturing,Europe,strategic,1200000,3000000,s1,acme.example;acme-group.example,4,2\n"
        "beta,Beta Retail,retail,North America,key,450000.5,900000,s1,beta.example,3,\n"
        "gamma,Gamma Labs,,,potential,0,250000,,gamma.example,,\n"
    ),
    "contacts": (
        "id,name,email,title,department,level,influence,stance,political_status\n"
        "c1,Ada Lovelace,ada@acme.example,CFO,Finance,executive,5,champion,inner_circle\n"
        "c2,Bob Byte,bob@acme.example,IT Director,IT,management,high,supporter,political_structure\n"
        'c3,"Chen, Li",li.chen@acme.example,Engineer,IT,operational,2,neutral,outside\n'
        "c4,Dora Buyer,dora@beta.example,Head of Procurement,Procurement,management,3,skeptic,\n"
        "c5,Eve Ops,,,,,,blocker,\n"
    ),
    "employments": (
        "contact_id,account_id,title,department,level,roles,since,until\n"
        "c1,acme,CFO,Finance,executive,economic_buyer;decision_maker,2019-04-01,\n"
        "c2,acme,IT Director,IT,management,technical_buyer;champion,2020-01-15,\n"
        "c3,acme,Engineer,IT,operational,user_buyer,2021-06-01,\n"
        "c4,beta,Head of Procurement,Procurement,management,procurement;gatekeeper,2018-01-01,\n"
        "c5,beta,,,,blocker,,\n"
        "c5,gamma,Operations Lead,Operations,management,influencer,2017-01-01,2018-12-31\n"
    ),
    "reporting_lines": ("contact_id,manager_id,since,until\nc2,c1,2020-01-15,\nc3,c2,2021-06-01,\n"),
    "influence_lines": "source_id,target_id,weight\nc2,c1,0.8\nc3,c1,0.25\n",
    "team_memberships": (
        "staff_id,account_id,team_role,since,until\n"
        "s1,acme,account_rep,2020-01-01,\n"
        "s2,acme,solution_specialist,2021-01-01,2024-12-31\n"
        "s3,acme,executive_sponsor,2022-01-01,\n"
        "s1,beta,account_rep,2019-01-01,\n"
    ),
    "interactions": (
        "id,kind,at,source,subject,participants,accounts\n"
        "i1,meeting,2025-03-01T09:30:00+01:00,crm,Quarterly review,s1;c1;c2,acme\n"
        "i2,call,2025-03-05T10:00:00Z,crm,,s2;c3,acme\n"
        'i3,exec_visit,2025-04-10T14:00:00+00:00,calendar,"Visit, with dinner",s3;c1,acme\n'
        "i4,email,2025-05-02T08:15:30+00:00,mail,Offer,s1;c4,beta\n"
        "i5,event,2025-06-01T18:00:00+00:00,manual,Customer day,s1;s3;c1;c4,acme;beta\n"
        "i6,support,2025-06-03T11:00:00+00:00,manual,Ticket 42,c3,\n"
    ),
    "assessments": (
        "staff_id,contact_id,level,at\ns1,c1,trusted_advisor,2025-01-10\ns2,c3,problem_solver,2025-02-01\n"
    ),
    "referrals": (
        "source_id,source_kind,target_id,at,status,value\n"
        "acme,account,gamma,2025-02-01,won,250000\n"
        "c4,contact,acme,2024-06-15,lead,\n"
    ),
}


def write_csv(folder: Path, files: dict[str, str] | None = None) -> Path:
    """Write the native CSV files (default :data:`NATIVE_CSV`) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem, text in (files if files is not None else NATIVE_CSV).items():
        (folder / f"{stem}.csv").write_text(text, encoding="utf-8")
    return folder


_LISTS = {"roles", "domains", "participants", "accounts"}
_NUMBERS = {"annual_revenue", "potential_revenue", "weight", "value"}


def as_jsonl(text: str) -> str:
    """The CSV ``text`` as JSON Lines: lists as arrays, numbers as numbers, empty cells left out."""
    lines = []
    for record in csv.DictReader(io.StringIO(text)):
        obj: dict[str, object] = {}
        for key, value in record.items():
            if not value:
                continue
            if key in _LISTS:
                obj[key] = value.split(";")
            elif key in _NUMBERS:
                obj[key] = float(value) if "." in value else int(value)
            elif key == "influence" and value.isdigit():
                obj[key] = int(value)
            else:
                obj[key] = value
        lines.append(json.dumps(obj))
    return "\n".join(lines) + "\n"


def write_jsonl(folder: Path, files: dict[str, str] | None = None) -> Path:
    """Write the native files as JSON Lines into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem, text in (files if files is not None else NATIVE_CSV).items():
        (folder / f"{stem}.jsonl").write_text(as_jsonl(text), encoding="utf-8")
    return folder


def data_rows(files: dict[str, str] | None = None) -> dict[str, int]:
    """Rows (records) per kind in ``files`` (default :data:`NATIVE_CSV`)."""
    kinds = {spec.stem: spec.kind for spec in FILES}
    return {
        kinds[stem]: sum(1 for _ in csv.DictReader(io.StringIO(text)))
        for stem, text in (files if files is not None else NATIVE_CSV).items()
    }
