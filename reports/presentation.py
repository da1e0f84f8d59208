"""What a page, the PDF and the exports show of the statistics, for one edition.

The published edition passes every table through small-cell suppression and hides small headline
counts; the internal edition (supervisors only) shows every count. Charts are drawn from the shown
values, so a chart never reveals what its table hides.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.suppression import Cell, display_count, suppress, threshold
from reports import charts
from reports.statistics import Statistics, Table


class Edition:
    PUBLISHED = "publikasi"
    INTERNAL = "internal"


@dataclass
class ShownTable:
    key: str
    title: str
    unit: str
    row_header: str
    columns: list[str]  # with "Jumlah" when the table has row totals
    rows: list[tuple[str, list[str]]]
    totals: list[str] | None
    note: str
    values: list[list[int | None]]  # shown value or None when hidden, same shape as rows (+ totals)


def show_table(table: Table, *, published: bool, limit: int | None = None) -> ShownTable:
    limit = threshold() if limit is None else limit
    matrix = table.matrix()
    if published and table.sensitive:
        cells = suppress(matrix, row_totals=table.row_totals, col_totals=table.col_totals, limit=limit)
    else:
        cells = [[Cell(v) for v in row] for row in matrix]
    text = [[cell.display(limit) for cell in row] for row in cells]
    values = [[None if cell.hidden else cell.value for cell in row] for row in cells]
    labels = [label for label, _values in table.rows]
    columns = list(table.columns) + ([_("Jumlah")] if table.row_totals else [])
    body = list(zip(labels, text[:len(labels)], strict=True))
    return ShownTable(table.key, table.title, table.unit, table.row_header, columns, body,
                      text[-1] if table.col_totals else None, table.note, values)


def _last_column_chart(shown: ShownTable, title: str) -> str:
    labels = [label for label, _cells in shown.rows]
    values = [row[-1] for row in shown.values[:len(labels)]]
    texts = [cells[-1] for _label, cells in shown.rows]
    return charts.bar_chart(title, labels, values, texts)


@dataclass
class Presentation:
    stats: Statistics
    edition: str
    published: bool
    headline: list[tuple[str, str]]
    comparisons: list[dict]
    rates: list[tuple[str, str, str]]
    tables: list[ShownTable]
    trend_rows: list[tuple[str, str, str]]
    charts: dict[str, str]
    quality: list[tuple[str, str]]
    threshold: int

    def table(self, key: str) -> ShownTable:
        return next(t for t in self.tables if t.key == key)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%".replace(".", ",")


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}%".replace(".", ",")


def _number(value: float | None, decimals: int = 1) -> str:
    return "—" if value is None else f"{value:.{decimals}f}".replace(".", ",")


def present(stats: Statistics, *, edition: str, with_charts: bool = True) -> Presentation:
    """The shown figures of one edition, and its charts (SVG) when asked."""
    published = edition == Edition.PUBLISHED
    limit = threshold()

    def count(value: int) -> str:
        return display_count(value, published=published, limit=limit)

    headline = [(_("Kasus"), count(stats.cases)), (_("Korban"), count(stats.victims)),
                (_("Pelaku"), count(stats.perpetrators)), (_("Korban anak"), count(stats.child_victims)),
                (_("Kasus KDRT"), count(stats.kdrt_cases))]
    comparisons = [{"label": c.label, "current": count(c.current), "previous": count(c.previous),
                    "year_before": count(c.year_before),
                    # A change computed from a hidden count would reveal it.
                    "change_previous": "—" if published and (1 <= c.current <= limit or 1 <= c.previous <= limit)
                    else _signed(c.change_previous),
                    "change_year_before": "—" if published and (
                        1 <= c.current <= limit or 1 <= c.year_before <= limit) else _signed(c.change_year_before)}
                   for c in stats.comparisons]
    rates = [(r.label, count(r.count),
              "—" if published and 1 <= r.count <= limit else _number(r.per_100k, 2)) for r in stats.rates]
    tables = [show_table(t, published=published, limit=limit) for t in stats.tables]
    q = stats.quality

    def share(part: int | None, whole: int | None, value: float | None) -> str:
        if whole is None:
            return _("belum tersedia")
        if published and 1 <= whole <= limit:
            return _("%(small)s kasus: tidak ditampilkan") % {"small": count(whole)}
        if not whole:
            return "—"
        # The published edition prints the share and its base, not the count of a small group.
        return f"{_percent(value)} (n = {whole})" if published else f"{_percent(value)} ({part or 0} / {whole})"

    quality = [
        (_("Pengaduan ditindaklanjuti (identifikasi) dalam 3 hari kerja"),
         share(q.follow_up_on_time, q.follow_up_due, q.follow_up_share)),
        (_("Rujukan dijawab sebelum tenggat"), share(q.referrals_on_time, q.referrals_due, q.referrals_share)),
        (_("Median hari dari pengaduan sampai layanan pertama"),
         "—" if q.median_days_to_first_service is None or (published and 1 <= q.first_service_cases <= limit)
         else _("%(days)s hari (%(n)s kasus)") % {"days": _number(q.median_days_to_first_service),
                                                  "n": q.first_service_cases}),
        (_("Kasus terbuka pada akhir periode"), count(q.open_cases)),
        (_("Rata-rata kasus terbuka per pendamping"), _number(q.open_per_worker)),
        (_("Kasus terbuka terbanyak pada satu pendamping"), count(q.max_open_per_worker)),
        (_("Kasus ditutup dalam periode"), count(q.closed_in_period)),
    ]
    trend = [(m["month"], count(m["cases"]), count(m["victims"])) for m in stats.trend]
    drawn: dict[str, str] = {}
    if with_charts:
        def hidden(v: int) -> int | None:
            return None if published and 1 <= v <= limit else v

        drawn["trend"] = charts.line_chart(
            _("Kasus dan korban per bulan (12 bulan terakhir)"), [m["month"] for m in stats.trend],
            {_("Kasus"): [hidden(m["cases"]) for m in stats.trend],
             _("Korban"): [hidden(m["victims"]) for m in stats.trend]})
        by_key = {t.key: t for t in tables}
        drawn["violence"] = _last_column_chart(by_key["violence"], _("Korban menurut jenis kekerasan"))
        drawn["kecamatan"] = _last_column_chart(by_key["kecamatan_cases"], _("Kasus menurut kecamatan"))
        drawn["place"] = _last_column_chart(by_key["place"], _("Korban menurut tempat kejadian"))
    return Presentation(stats, edition, published, headline, comparisons, rates, tables, trend, drawn, quality,
                        limit)


def summary_sentences(p: Presentation) -> list[str]:
    """The summary in words for the PDF's first page (Indonesian, from the shown figures)."""
    s = p.stats
    headline = dict(p.headline)
    first = p.comparisons[0]
    sentences = [
        _("Selama %(period)s tercatat %(cases)s kasus kekerasan terhadap perempuan dan anak dengan %(victims)s "
          "korban dan %(perpetrators)s pelaku.") % {
            "period": s.period.label, "cases": headline[_("Kasus")], "victims": headline[_("Korban")],
            "perpetrators": headline[_("Pelaku")]},
        _("Dibanding periode sebelumnya (%(previous)s kasus) perubahannya %(change)s; dibanding periode yang sama "
          "tahun lalu (%(year)s kasus) %(change_year)s.") % {
            "previous": first["previous"], "change": first["change_previous"], "year": first["year_before"],
            "change_year": first["change_year_before"]},
    ]
    violence = p.table("violence")
    top = max(zip(violence.rows, violence.values, strict=False), key=lambda rv: rv[1][-1] or 0, default=None)
    if top and top[1][-1]:
        sentences.append(_("Jenis kekerasan yang paling banyak dialami korban: %(type)s (%(n)s korban).")
                         % {"type": top[0][0].lower(), "n": top[0][1][-1]})
    sentences.append(_("Korban anak: %(children)s; kasus KDRT: %(kdrt)s.")
                     % {"children": headline[_("Korban anak")], "kdrt": headline[_("Kasus KDRT")]})
    return sentences
