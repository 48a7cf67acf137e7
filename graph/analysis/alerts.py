"""Alerts raised by the analyses: one record shape for the portfolio view and the API.

Examples
--------
>>> a = Alert("cadence_breach", "warning", "acme", "no exec-level interaction for 120 days")
>>> a.to_payload()["kind"], a.severity_rank
('cadence_breach', 1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SEVERITIES", "Alert"]

#: Severities, mildest first.
SEVERITIES: tuple[str, ...] = ("info", "warning", "severe")


@dataclass(frozen=True)
class Alert:
    """Something leadership should look at, with the evidence behind it.

    ``kind`` is one of ``job_change_risk``, ``job_change_opportunity``, ``going_cold``,
    ``cadence_breach``, ``single_point_of_contact``, ``concentration``, ``health``,
    ``renewal_at_risk``;
    ``severity`` one of :data:`SEVERITIES`.
    """

    kind: str
    severity: str
    account_id: str | None
    message: str
    person_id: str | None = None
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"alert severity {self.severity!r} is not one of {', '.join(SEVERITIES)}")

    @property
    def severity_rank(self) -> int:
        """0 for info, 1 for warning, 2 for severe."""
        return SEVERITIES.index(self.severity)

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "account_id": self.account_id,
            "person_id": self.person_id,
            "message": self.message,
            "evidence": dict(self.evidence),
        }

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> Alert:
        """Inverse of :meth:`to_payload`.

        Examples
        --------
        >>> a = Alert("health", "severe", "acme", "red")
        >>> Alert.from_payload(a.to_payload()) == a
        True
        """
        return cls(
            str(data["kind"]),
            str(data["severity"]),
            data.get("account_id"),
            str(data["message"]),
            data.get("person_id"),
            dict(data.get("evidence") or {}),
        )
