"""The hostile-input walker's parts: forms read from the pages as a browser reads them, hostile values, and a
request runner that times each request, watches the process's memory, checks what the request wrote and
then rolls it back, so every request meets the same small world."""

from __future__ import annotations

import re
import resource
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, models, transaction
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from core import bounds

# --- Forms as the browser sees them -------------------------------------------------------------------

TEXT_KINDS = {"text", "textarea", "email", "tel", "search", "url", "password"}


@dataclass
class Field:
    name: str
    kind: str  # the input type, or select / textarea
    options: list[str] = field(default_factory=list)
    default: list[str] = field(default_factory=list)
    required: bool = False
    multiple: bool = False


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    cost: float = 0.0  # CPU seconds the page it is on took: costly pages get fewer submissions

    @property
    def key(self) -> tuple:
        """One form however many pages show it: method, the route it posts to and its field names."""
        return self.method, route_of(urlsplit(self.action).path), tuple(sorted(self.fields))


class PageParser(HTMLParser):
    """The links and forms of a page (inputs, selects with their options, text areas, submit buttons)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.links, self.forms = page, [], []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            self._form = Form(page=self.page, action=urljoin(self.page, a.get("action") or self.page),
                              method=(a.get("method") or "get").lower())
        elif self._form is None:
            return
        elif tag == "input":
            self._input(a)
        elif tag == "button" and a.get("name") and a.get("type", "submit") == "submit":
            self._form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = self._form.fields.setdefault(a["name"], Field(a["name"], "select"))
            self._select.multiple, self._select.required = "multiple" in a, "required" in a
        elif tag == "option" and self._select is not None:
            self._end_option()
            self._option, self._option_text = (a.get("value") if "value" in a else None, "selected" in a), ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = self._form.fields.setdefault(a["name"], Field(a["name"], "textarea"))
            self._textarea.required = "required" in a
            self._textarea.default = [""]

    def _input(self, a: dict) -> None:
        # Date inputs are text inputs that say what they hold (core/dates.py).
        kind, name = (a.get("data-date-kind") or a.get("type", "text")).lower(), a.get("name")
        if kind in ("submit", "image"):
            if name:
                self._form.buttons.append((name, a.get("value", "")))
            return
        if not name or kind in ("reset", "button"):
            return
        item = self._form.fields.setdefault(name, Field(name, kind))
        item.required = item.required or "required" in a
        if kind in ("checkbox", "radio"):
            value = a.get("value") or "on"
            item.options.append(value)
            if "checked" in a:
                item.default.append(value)
            item.multiple = kind == "checkbox"
        else:
            item.default = [a.get("value", "")]

    def _end_option(self) -> None:
        if self._option is not None and self._select is not None:
            value, selected = self._option
            value = self._option_text.strip() if value is None else value
            self._select.options.append(value)
            if selected:
                self._select.default.append(value)
        self._option = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.default = [self._textarea.default[0] + data]
        elif self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._end_option()
        elif tag == "select" and self._select is not None:
            self._end_option()
            if not self._select.default and self._select.options and not self._select.multiple:
                self._select.default = [self._select.options[0]]  # what a browser sends untouched
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def parse_page(page: str, content: str) -> PageParser:
    parser = PageParser(page)
    parser.feed(content)
    return parser


# --- Routes ------------------------------------------------------------------------------------------

SKIPPED_PREFIXES = ("django-admin/", "static/")  # Django's own admin (personas are not staff), files


def all_routes() -> list[str]:
    """Every route of Simpul's URLconf, as written in path() (`kasus/<int:pk>/identifikasi/`)."""
    def walk(patterns, prefix=""):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                yield route

    return sorted({r for r in walk(get_resolver().url_patterns) if not r.startswith(SKIPPED_PREFIXES)})


def route_of(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def fill(route: str, values: dict[str, str]) -> str:
    return "/" + CONVERTER.sub(lambda m: str(values[m[2]]), route)


def parameters(route: str) -> list[tuple[str, str]]:
    return [(m[1] or "str", m[2]) for m in CONVERTER.finditer(route)]


# --- Hostile values ------------------------------------------------------------------------------------

FAR_DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "2026-02-30", "0000-00-00", "99999-01-01"]
FAR_MOMENTS = ["0001-01-01T00:00", "9999-12-31T23:59", "1000-01-01 00:00:00", "2026-13-40T25:61"]
NUMBERS = ["100000000000000000000", "-1", "-100000000000000000000", "abc", "1e309", "NaN", "9" * 5000]
CONTROL = ["a\x00b", "\x00", "\x01\x02\x1b[31m", "\x7f\x9b", "baris\r\nbaru\ttab"]
ODD_TEXT = ["", "x" * 100_000, "\u202ebalik", "\ufeff", "' OR 1=1 --", "<script>alert(1)</script>",
            "../../etc/passwd", "{{ 7|add:7 }}", "%s%n%x", "ﷺ" * 50, "🙂" * 100]
UNKNOWN_CHOICES = ["zzz", "999999999", "2147483648", "-1", "0", "1,2", "[]"]
PERIODS = ["0000-01", "0000-Q1", "0000", "9999-12", "9999-Q4", "0001-01", "2026-00", "2026-Q5", "1999-12"]
ROW_COUNTS = ["100000", "-1", "abc", "1e9", "99999999999999999999", ""]


def hostile_classics(item: Field) -> list[str]:
    """The values every field of this kind is tried with, one request each."""
    if item.kind == "date":
        return FAR_DATES[:2]
    if item.kind == "datetime-local":
        return FAR_MOMENTS[:2]
    if item.kind == "number":
        return NUMBERS[:2]
    if item.name.endswith("period"):
        return PERIODS[:6]
    return []


def is_row_count(name: str) -> bool:
    return name.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS"))


def plausible(form: Form) -> dict[str, list[str]]:
    """What a person filling the form in a hurry sends: the defaults, and something in every required field."""
    today = timezone.localdate()
    values: dict[str, list[str]] = {}
    for name, item in form.fields.items():
        value = [v for v in item.default if v != ""] or list(item.default)
        if item.kind in ("checkbox", "radio") and not item.default and (item.required or len(item.options) > 1):
            value = item.options[:1]  # groups of choices usually need one
        elif item.kind == "select" and value in ([], [""]) and item.options:
            value = [next((o for o in item.options if o), "")]
        elif item.kind == "date" and not any(value):
            value = [today.isoformat()]
        elif item.kind == "datetime-local" and not any(value):
            value = [(timezone.localtime() - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")]
        elif item.kind == "number" and not any(value):
            value = ["1"]
        elif item.kind in TEXT_KINDS and not any(value):
            value = {"email": ["uji@contoh.simpul.test"], "password": ["Sandi-Uji-2026!x"],
                     "textarea": ["Catatan uji."]}.get(item.kind, ["Uji"])
        elif item.kind == "file":
            continue
        values[name] = value
    return values


def hostile_upload(kind: int) -> SimpleUploadedFile:
    contents = [(b"", "kosong.pdf"), (b"bukan pdf", "../../etc/passwd.pdf"), (b"%PDF-1.4\n" + b"0" * 64, "a.pdf"),
                (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "rusak.png")]
    content, name = contents[kind % len(contents)]
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- What must never be saved ---------------------------------------------------------------------------

EARLIEST_SAVED = date(1900, 1, 1)
INT32 = 2**31 - 1
POSITIVE = (models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField)


def _latest_saved() -> date:
    return timezone.localdate() + timedelta(days=bounds.PLAN_HORIZON_DAYS + 31)


def _bad_string(value: str, max_length: int | None) -> str | None:
    if bounds.has_control_characters(value):
        return "control character"
    if max_length is not None and len(value) > max_length:
        return f"longer than {max_length}"
    return None


def _bad_json(value) -> str | None:
    if isinstance(value, str):
        return _bad_string(value, None)
    if isinstance(value, dict):
        return next((p for p in map(_bad_json, [*value.keys(), *value.values()]) if p), None)
    if isinstance(value, list):
        return next((p for p in map(_bad_json, value) if p), None)
    return None


def invalid_rows(tables: set[str]) -> list[str]:
    """Rows of the written tables holding what Simpul must refuse: a date outside what any record may carry,
    a control character, text longer than its column, a number PostgreSQL's integer cannot hold."""
    by_table = {model._meta.db_table: model for model in apps.get_models()}
    problems = []
    earliest, latest = EARLIEST_SAVED, _latest_saved()
    for table in sorted(tables):
        model = by_table.get(table)
        if model is None:
            continue
        checked = [f for f in model._meta.concrete_fields
                   if isinstance(f, models.DateField | models.CharField | models.TextField | models.IntegerField
                                 | models.JSONField) and not f.primary_key and not f.is_relation]
        for row in model._default_manager.values("pk", *[f.attname for f in checked]):
            for f in checked:
                value, problem = row[f.attname], None
                if value is None:
                    continue
                if isinstance(f, models.DateField):  # DateTimeField too
                    day = timezone.localdate(value) if isinstance(value, datetime) else value
                    if not earliest <= day <= latest:
                        problem = f"date {value}"
                elif isinstance(f, models.CharField | models.TextField):
                    problem = _bad_string(value, f.max_length if isinstance(f, models.CharField) else None)
                elif isinstance(f, models.IntegerField) and not isinstance(f, models.BigIntegerField):
                    small = isinstance(f, models.SmallIntegerField | models.PositiveSmallIntegerField)
                    high = 2**15 - 1 if small else INT32
                    low = 0 if isinstance(f, POSITIVE) else -high - 1
                    if not low <= value <= high:
                        problem = f"number {value}"
                elif isinstance(f, models.JSONField):
                    problem = _bad_json(value)
                if problem:
                    problems.append(f"{model._meta.label}#{row['pk']}.{f.name}: {problem}")
    return problems


# --- Running requests -------------------------------------------------------------------------------------

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
NOT_RECORDS = {"django_session"}  # a login or a message stored in the session is not a record


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


@dataclass
class Outcome:
    status: int
    cpu: float
    writes: set[str]
    content: bytes
    links: list[str] = field(default_factory=list)


@dataclass
class Runner:
    """Sends requests, each in a savepoint rolled back afterwards, and collects what went wrong.

    A request may use `max_seconds` of this process's CPU (load from other processes does not count) and
    five times that on the clock (work the database does for it does)."""

    max_seconds: float
    max_rss_growth_mb: float
    sent: int = 0
    failures: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    slowest: tuple[float, str] = (0.0, "")
    cost: dict[str, list] = field(default_factory=dict)  # route -> [requests, CPU seconds]

    def send(self, client, method: str, path: str, data=None, *, who: str, what: str = "") -> Outcome:
        cookies = client.cookies
        client.cookies = type(cookies)(cookies)  # each request starts from the persona's own cookies
        writes: set[str] = set()

        def watch(execute, sql, params, many, context):
            if match := WRITE.match(sql):
                writes.add(match[1].strip('"'))
            return execute(sql, params, many, context)

        label = f"{who} {method.upper()} {path} {what}".strip()
        rss_before = _peak_rss_mb()
        problems: list[str] = []
        with transaction.atomic():
            start, cpu_start = time.perf_counter(), time.process_time()
            with connection.execute_wrapper(watch):
                if method == "get":
                    response = client.get(path, data or {})
                else:
                    response = client.post(path, data or {})
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            if response.status_code < 500 and writes - NOT_RECORDS:
                try:
                    problems = invalid_rows(writes - NOT_RECORDS)
                except DatabaseError as error:  # the request left the transaction broken and said nothing
                    problems = [f"database error after the response: {error}"]
            transaction.set_rollback(True)
        client.cookies = cookies
        growth = _peak_rss_mb() - rss_before
        self.sent += 1
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        self.slowest = max(self.slowest, (cpu, label))
        cost = self.cost.setdefault(route_of(urlsplit(path).path) or path, [0, 0.0])
        cost[0], cost[1] = cost[0] + 1, cost[1] + cpu
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            reason = f"{error[0].__name__}: {str(error[1])[:200]}" if error else response.status_code
            self.failures.append(f"{label}: server error {reason}")
        if response.status_code in (400, 404, 405) and writes - NOT_RECORDS:
            self.failures.append(f"{label}: refused ({response.status_code}) but wrote {sorted(writes - NOT_RECORDS)}")
        if cpu > self.max_seconds or elapsed > 5 * self.max_seconds:
            self.failures.append(f"{label}: took {cpu:.2f} s of CPU, {elapsed:.2f} s in all (ceiling "
                                 f"{self.max_seconds} s of CPU, {5 * self.max_seconds} s in all)")
        if growth > self.max_rss_growth_mb:
            self.failures.append(f"{label}: memory grew {growth:.0f} MB (ceiling {self.max_rss_growth_mb} MB)")
        self.failures.extend(f"{label}: saved {problem}" for problem in problems)
        return Outcome(response.status_code, cpu, writes - NOT_RECORDS, response.content
                       if response.get("Content-Type", "").startswith("text/html") else b"")
