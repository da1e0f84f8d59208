"""The forms of a page as a browser would submit them: each form's method, action and the values it would
send unchanged (checked boxes and radios, selected options, text), so tests can read what a page carries and
post it back the way a person clicking "Simpan" would."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    hidden: dict[str, str] = field(default_factory=dict)
    text_fields: list[str] = field(default_factory=list)  # visible text inputs and textareas, in page order
    options: dict[str, list[str]] = field(default_factory=dict)  # every value a select or radio group offers
    buttons: dict[str, list[str]] = field(default_factory=dict)  # named submit buttons and their values

    def add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)

    def data(self, changes: dict | None = None) -> dict:
        """What the form would send, with `changes` typed over it (csrf token left out: the test client skips
        the check)."""
        sent = {name: values if len(values) > 1 else values[0] for name, values in self.fields.items()
                if name != "csrfmiddlewaretoken"}
        return sent | (changes or {})

    def named(self, suffix: str) -> str | None:
        """The full name of the field whose name ends with `suffix` (forms on a shared page have prefixes)."""
        return next((name for name in self.fields if name == suffix or name.endswith("-" + suffix)), None)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._select_multiple = False
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self._form = PageForm(method=attrs.get("method", "get").lower(), action=attrs.get("action", ""))
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "button" and name and attrs.get("type", "submit").lower() == "submit":
            self._form.buttons.setdefault(name, []).append(attrs.get("value", ""))
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind == "submit":
                self._form.buttons.setdefault(name, []).append(attrs.get("value", ""))
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind == "radio":
                self._form.options.setdefault(name, []).append(attrs.get("value", "on"))
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            value = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
            self._form.add(name, value)
            if kind == "hidden":
                self._form.hidden[name] = value
            elif kind in ("text", "email", "tel", "number") and "data-date-kind" not in attrs:
                # A date typed as dd-mm-yyyy is a text input too (core.dates), but not free text.
                self._form.text_fields.append(name)
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self._select_multiple = "multiple" in attrs
            self._form.options.setdefault(name, [])
        elif tag == "option" and self._select:
            self._option = attrs
            self._text = ""
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea is not None or self._option is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._option is not None and self._form is not None:
            value = self._option.get("value", self._text.strip())
            self._form.options[self._select].append(value)
            if self._select_first is None:
                self._select_first = value
            if "selected" in self._option:
                self._form.add(self._select, value)
                self._select_chosen = True
            self._option = None
        elif tag == "select" and self._select and self._form is not None:
            if not self._select_chosen and not self._select_multiple and self._select_first is not None:
                self._form.add(self._select, self._select_first)  # a browser sends the first option
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.add(self._textarea, self._text.removeprefix("\n"))
            self._form.text_fields.append(self._textarea)
            self._textarea = None


def page_forms(html: str) -> list[PageForm]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def post_forms(html: str) -> list[PageForm]:
    return [form for form in page_forms(html) if form.method == "post"]
