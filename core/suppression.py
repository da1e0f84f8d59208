"""Small-cell suppression: the one rule for every count of people shown outside the case team (UU 27/2022 PDP;
domain.md section 7 point 5). The published reports, the dashboard and its exports (reports) and the village
coverage page (prevention) all ask this module; core knows no domain app, so both can.

Algorithm, on one table's matrix of counts including its totals (`Table.matrix()`):

1. **Primary suppression.** Every count from 1 to the threshold (settings.REPORT_SUPPRESSION_THRESHOLD,
   default 2) is hidden and written "<3" (threshold + 1). Zeros are shown: a zero identifies nobody.
2. **Complementary suppression.** A *line* is a row with its row total, a column with its column total,
   the totals row with the grand total, and the totals column with the grand total. A line with exactly
   one hidden member lets a reader recover it by subtraction from the others. So, repeatedly until no
   such line is left: in each line with exactly one hidden member, also hide the smallest shown non-zero
   member (body cells before totals; a total only when no body cell is left). Such a cell is written "x":
   it is not small, it is hidden only to protect another. Hiding one member can create a new line with a
   single hidden member, hence the repetition; it ends because every round hides at least one more cell.

Guarantee and limit: afterwards no line has exactly one hidden member, so no hidden cell equals a total
minus shown cells. Hidden cells can still be bounded (each "<3" is 1..threshold) and a pattern of several
tables could narrow them; this is the usual protection of official statistics, not a proof against every
inference. Tables whose rows are not additive (a victim counted in several types) are treated the same way,
which only hides more.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

SHOWN, PRIMARY, COMPLEMENTARY = "shown", "primary", "complementary"


def threshold() -> int:
    return int(getattr(settings, "REPORT_SUPPRESSION_THRESHOLD", 2))


def small_label(limit: int | None = None) -> str:
    return f"<{(limit if limit is not None else threshold()) + 1}"


@dataclass
class Cell:
    value: int
    state: str = SHOWN

    @property
    def hidden(self) -> bool:
        return self.state != SHOWN

    def display(self, limit: int) -> str:
        if self.state == PRIMARY:
            return small_label(limit)
        if self.state == COMPLEMENTARY:
            return "x"
        return f"{self.value:,}".replace(",", ".")


def _lines(rows: int, cols: int, row_totals: bool, col_totals: bool) -> list[list[tuple[int, int, bool]]]:
    """Every line of the matrix as [(row, col, is_total)], the total last."""
    lines = []
    if row_totals:
        for r in range(rows):
            lines.append([(r, c, c == cols - 1) for c in range(cols)])
    if col_totals:
        for c in range(cols):
            lines.append([(r, c, r == rows - 1) for r in range(rows)])
    return lines


def suppress_lines(values: list[int], lines: list[list[tuple[int, bool]]], *, limit: int | None = None) -> list[Cell]:
    """Primary then complementary suppression of counts tied by additive lines, each line a list of
    (index into values, is_total). A matrix is one case; a hierarchy (villages adding up to a kecamatan,
    kecamatan adding up to the district) is another."""
    limit = threshold() if limit is None else limit
    cells = [Cell(v, PRIMARY if 1 <= v <= limit else SHOWN) for v in values]
    if not cells or limit <= 0:
        return cells
    changed = True
    while changed:
        changed = False
        for line in lines:
            members = [(cells[i], is_total) for i, is_total in line]
            if sum(cell.hidden for cell, _total in members) != 1:
                continue
            candidates = [(is_total, cell.value, i) for i, (cell, is_total) in enumerate(members)
                          if not cell.hidden and cell.value > 0]
            if not candidates:
                # Only zeros are shown: the hidden member then equals the total, itself hidden or small.
                candidates = [(is_total, cell.value, i) for i, (cell, is_total) in enumerate(members)
                              if not cell.hidden]
            if not candidates:
                continue
            _is_total, _value, index = min(candidates)
            members[index][0].state = COMPLEMENTARY
            changed = True
    return cells


def suppress(matrix: list[list[int]], *, row_totals: bool, col_totals: bool,
             limit: int | None = None) -> list[list[Cell]]:
    """Primary then complementary suppression of one table (see the module docstring)."""
    if not matrix:
        return []
    width = len(matrix[0])
    lines = [[(r * width + c, is_total) for r, c, is_total in line]
             for line in _lines(len(matrix), width, row_totals, col_totals)]
    flat = suppress_lines([v for row in matrix for v in row], lines, limit=limit)
    return [flat[r * width:(r + 1) * width] for r in range(len(matrix))]


def display_matrix(matrix: list[list[int]], *, row_totals: bool, col_totals: bool, published: bool,
                   limit: int | None = None) -> list[list[str]]:
    """The strings to print: suppressed for the published edition, plain for the internal one."""
    limit = threshold() if limit is None else limit
    if not published:
        return [[Cell(v).display(limit) for v in row] for row in matrix]
    return [[cell.display(limit) for cell in row]
            for row in suppress(matrix, row_totals=row_totals, col_totals=col_totals, limit=limit)]


def display_count(value: int, *, published: bool, limit: int | None = None) -> str:
    """A single count (a headline figure): small counts hidden in the published edition."""
    limit = threshold() if limit is None else limit
    return small_label(limit) if published and 1 <= value <= limit else Cell(value).display(limit)
