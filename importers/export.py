"""Export the whole graph in the native format: the backup, and the way from one store to another.

:func:`export_store` writes one file per record kind (:data:`importers.native.FILES`), every file
even when empty, each record in the store's stable order (:meth:`GraphStore.iter_records`) and
every value in one fixed notation (ISO dates and UTC timestamps, integral numbers without a
decimal point, sorted ``;`` lists). So exporting, importing into an empty store (of either
backend) and exporting again gives byte-identical files. Records stream from the store to the
files; each file is written under a temporary name and renamed when complete.

Examples
--------
>>> import tempfile, pathlib
>>> from graph.backends import open_store
>>> from graph.model import Account
>>> from graph.store import GraphBatch
>>> store = open_store(data_dir=tempfile.mkdtemp()); store.init()
>>> _ = store.write(GraphBatch(accounts=[Account("acme", "Acme", annual_revenue=1200000)]))
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> export_store(store, out)["account"]
1
>>> print((out / "accounts.csv").read_text().splitlines()[1])
acme,Acme,,,key,1200000,0,,,,,,
>>> store.close()
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from graph.store import GraphStore
from importers.native import FILES, FORMATS, csv_cells, json_object

__all__ = ["export_store"]


def export_store(store: GraphStore, out_dir: Path, format: str = "csv") -> dict[str, int]:
    """Write every record of ``store`` into ``out_dir`` in the native ``format`` (csv or jsonl).

    Returns the number of records written per kind. Existing native files of the format are
    replaced; other files in ``out_dir`` are left alone.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r} (csv or jsonl)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ext = FORMATS[format]
    written: dict[str, int] = {}
    for spec in FILES:
        target = out_dir / f"{spec.stem}{ext}"
        temp = out_dir / f".{spec.stem}{ext}.tmp"
        count = 0
        try:
            with open(temp, "w", encoding="utf-8", newline="") as handle:
                if format == "csv":
                    writer = csv.writer(handle, lineterminator="\n")
                    writer.writerow(spec.names)
                    for record in store.iter_records(spec.kind):
                        writer.writerow(csv_cells(spec, record))
                        count += 1
                else:
                    for record in store.iter_records(spec.kind):
                        handle.write(
                            json.dumps(json_object(spec, record), ensure_ascii=False, separators=(",", ":"))
                        )
                        handle.write("\n")
                        count += 1
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
        written[spec.kind] = count
    return written
