"""A rubric as plain text, for the rubric builder page (no JavaScript needed):

    # Opening
    Greets the customer | yes/no | 1 | auto: greeting
    Uses the customer's name | yes/no | 1
    # Resolution
    Correct and complete answer | 1-5 | 4 | guidance: 5 all right; 3 incomplete; 1 wrong
    Follows the refund policy | yes/no/na | 2
    No personal data exposed | yes/no | 1 | critical

A line starting with ``#`` opens a section; every other non-blank line is a criterion: label,
scale (``yes/no``, ``yes/no/na``, ``1-5``, ``1-5/na``), weight, then optional parts in any order:
``critical`` (auto-fail), ``auto: <check>``, ``guidance: <text>``, ``key: <key>`` (to keep a
criterion's identity across versions when its label changes).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .models import Criterion, RubricVersion
from .services import CriterionSpec, SectionSpec

SCALES = {"yes/no": "yes_no", "yes/no/na": "yes_no_na", "1-5": "one_five", "1-5/na": "one_five_na"}
NAMES = {v: k for k, v in SCALES.items()}


def parse(text: str) -> list[SectionSpec]:
    sections: list[tuple[str, list[CriterionSpec]]] = []
    errors: list[str] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            sections.append((line.lstrip("#").strip(), []))
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 3:
            errors.append(f"Line {number}: write “label | scale | weight”.")
            continue
        label, scale, weight = parts[0], parts[1].lower().replace(" ", ""), parts[2]
        if scale not in SCALES:
            errors.append(f"Line {number}: the scale is one of {', '.join(SCALES)}.")
            continue
        if not weight.isdigit():
            errors.append(f"Line {number}: the weight is a whole number.")
            continue
        extra = {"auto_fail": False, "auto_check": "", "guidance": "", "key": ""}
        for part in parts[3:]:
            name, _, value = part.partition(":")
            name = name.strip().lower()
            if name == "critical" and not value:
                extra["auto_fail"] = True
            elif name in ("auto", "guidance", "key") and value.strip():
                extra["auto_check" if name == "auto" else name] = value.strip()
            elif part:
                errors.append(f"Line {number}: “{part}” is not critical, auto:, guidance: or key:.")
        if not sections:
            sections.append(("Criteria", []))
        sections[-1][1].append(CriterionSpec(label=label, scale=SCALES[scale], weight=int(weight), **extra))  # type: ignore[arg-type]
    if errors:
        raise ValidationError({"text": errors})
    return [SectionSpec(title, tuple(criteria)) for title, criteria in sections]


def render(version: RubricVersion) -> str:
    lines = []
    section_id = None
    for c in Criterion.objects.filter(version=version).select_related("section").order_by("section__position",
                                                                                         "position"):
        if c.section_id != section_id:
            lines.append(f"# {c.section.title}")
            section_id = c.section_id
        parts = [c.label, NAMES[c.scale], str(c.weight)]
        if c.auto_fail:
            parts.append("critical")
        if c.auto_check:
            parts.append(f"auto: {c.auto_check}")
        if c.guidance:
            parts.append(f"guidance: {c.guidance.replace(chr(10), ' ')}")
        parts.append(f"key: {c.key}")
        lines.append(" | ".join(parts))
    return "\n".join(lines)
