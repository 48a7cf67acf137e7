"""Job title -> organisational level, in English, German, French, Spanish and Chinese.

A contact's ``level`` (executive / management / operational) is often not in a CRM export, but
its title is. :func:`level_from_title` reads the level from the title with the keyword table
:data:`TITLE_LEVELS`: the first level whose keywords occur in the title wins, executive before
management, so "Vice President Sales" is executive and "Sales Manager" management; a title that
matches neither is operational. Latin-script keywords match whole words, case-insensitively
(accents count: "Geschäftsführer", "Président"); Chinese keywords match anywhere in the title,
since Chinese is written without spaces (总经理 is executive although it contains 经理).

Default keywords (:data:`TITLE_LEVELS`)
---------------------------------------
A keyword starting with ``-`` matches the end of a word too (German compounds: ``-leiter``
matches "Vertriebsleiter" and "Abteilungsleiterin" is matched by ``-leiterin``).

==============  ==================================================================================
Level           Keywords
==============  ==================================================================================
executive       English: chief, CEO, CFO, CIO, CTO, COO, CMO, CPO, CRO, CISO, president, VP, SVP,
                EVP, vice president, managing director, general manager, director general,
                founder, owner, board;
                German: -geschäftsführer, -geschäftsführerin, Vorstand, -vorstand,
                -vorsitzender, -vorsitzende, Inhaber, Inhaberin, Geschäftsleitung,
                Generaldirektor, Prokurist;
                French: PDG, président, présidente, directeur général, directrice générale, DG,
                gérant, gérante, fondateur, fondatrice;
                Spanish: presidente, presidenta, consejero delegado, consejera delegada,
                directora general, gerente general, director ejecutivo, directora ejecutiva,
                fundador, fundadora;
                Chinese: 总裁 (president; 副总裁 vice president), 董事长 (chairman), 董事 (board
                member), 总经理 (general manager; 副总经理 deputy GM), 首席 (chief ... officer),
                创始人 (founder), 合伙人 (partner), 老板 (owner)
management      English: director, head, manager, lead, supervisor, principal, controller;
                German: -leiter, -leiterin, Direktor, Direktorin, Managerin;
                French: directeur, directrice, responsable, chef;
                Spanish: directora, gerente, jefe, jefa, coordinador, coordinadora;
                Chinese: 总监 (director), 经理 (manager), 主管 (supervisor), 主任 (head of office),
                部长 (head of department), 负责人 (person in charge), 组长 (team lead), 处长, 科长
                (section heads)
operational     every other title
==============  ==================================================================================

Examples
--------
>>> [level_from_title(t).value for t in ("Geschäftsführer", "Directrice générale", "Director de Ventas")]
['executive', 'executive', 'management']
>>> [level_from_title(t).value for t in ("总经理", "销售总监", "采购经理", "工程师")]
['executive', 'management', 'management', 'operational']
>>> levels = title_levels({"Prokurist": "management"})
>>> level_from_title("Prokurist", levels).value
'management'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from graph.model import Level

__all__ = ["TITLE_LEVELS", "TitleLevels", "level_from_title", "title_levels"]

#: Level -> keywords. Latin-script keywords match whole words, case-insensitively; keywords in
#: Chinese characters match anywhere. Executive is tried before management.
TITLE_LEVELS: Mapping[str, tuple[str, ...]] = {
    Level.EXECUTIVE.value: (
        # English
        "chief", "ceo", "cfo", "cio", "cto", "coo", "cmo", "cpo", "cro", "ciso", "president", "vp",
        "svp", "evp", "vice president", "managing director", "general manager", "director general",
        "founder", "owner", "board",
        # German
        "-geschäftsführer", "-geschäftsführerin", "vorstand", "-vorstand", "-vorsitzender",
        "-vorsitzende", "inhaber", "inhaberin", "geschäftsleitung", "generaldirektor", "prokurist",
        # French
        "pdg", "président", "présidente", "directeur général", "directrice générale", "dg", "gérant",
        "gérante", "fondateur", "fondatrice",
        # Spanish
        "presidente", "presidenta", "consejero delegado", "consejera delegada", "directora general",
        "gerente general", "director ejecutivo", "directora ejecutiva", "fundador", "fundadora",
        # Chinese
        "总裁", "董事长", "董事", "总经理", "首席", "创始人", "合伙人", "老板",
    ),
    Level.MANAGEMENT.value: (
        # English
        "director", "head", "manager", "lead", "supervisor", "principal", "controller",
        # German
        "-leiter", "-leiterin", "direktor", "direktorin", "managerin",
        # French
        "directeur", "directrice", "responsable", "chef",
        # Spanish
        "directora", "gerente", "jefe", "jefa", "coordinador", "coordinadora",
        # Chinese
        "总监", "经理", "主管", "主任", "部长", "负责人", "组长", "处长", "科长",
    ),
}  # fmt: skip

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class TitleLevels:
    """Compiled keyword table: (level, pattern) in the order they are tried."""

    patterns: tuple[tuple[Level, re.Pattern[str]], ...]


def title_levels(extra: Mapping[str, str] | None = None) -> TitleLevels:
    """The keyword table :data:`TITLE_LEVELS` with ``extra`` keyword -> level pairs merged over it.

    An extra keyword moves from the level it had to the one given; ``operational`` keywords are
    tried first, so they keep a default keyword from matching in titles that hold them.

    Raises
    ------
    ValueError
        A level that is not executive, management or operational.
    """
    table: dict[str, Level] = {}
    for level, keywords in TITLE_LEVELS.items():
        for keyword in keywords:
            table[keyword] = Level(level)
    for keyword, value in (extra or {}).items():
        try:
            table[keyword.strip().lower()] = Level(str(value).strip().lower())
        except ValueError:
            allowed = ", ".join(m.value for m in Level)
            raise ValueError(f"{value!r} is not one of {allowed}") from None
    order = (Level.OPERATIONAL, Level.EXECUTIVE, Level.MANAGEMENT)
    patterns = []
    for level in order:
        words = sorted((k for k, v in table.items() if v is level), key=len, reverse=True)
        if not words:
            continue
        latin = [re.escape(w) for w in words if not _CJK.search(w) and not w.startswith("-")]
        endings = [re.escape(w[1:]) for w in words if w.startswith("-")]
        cjk = [re.escape(w) for w in words if _CJK.search(w)]
        parts = []
        if latin:
            parts.append(r"(?<!\w)(?:" + "|".join(latin) + r")(?!\w)")
        if endings:
            parts.append("(?:" + "|".join(endings) + r")(?!\w)")
        if cjk:
            parts.append("(?:" + "|".join(cjk) + ")")
        patterns.append((level, re.compile("|".join(parts), re.IGNORECASE)))
    return TitleLevels(tuple(patterns))


_DEFAULT = title_levels()


def level_from_title(title: str | None, levels: TitleLevels = _DEFAULT) -> Level | None:
    """The organisational level a job title suggests (``None`` without a title).

    Examples
    --------
    >>> level_from_title("VP Operations"), level_from_title("IT Director"), level_from_title("Buyer")
    (<Level.EXECUTIVE: 'executive'>, <Level.MANAGEMENT: 'management'>, <Level.OPERATIONAL: 'operational'>)
    >>> level_from_title("  ") is None
    True
    """
    if not title or not title.strip():
        return None
    for level, pattern in levels.patterns:
        if pattern.search(title):
            return level
    return Level.OPERATIONAL
