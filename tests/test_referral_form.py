"""The referral form where practitioners fill it in: the web page in Chromium at both widths
(visible, labelled fields; one option a line; print; nothing stored or sent; a warning before
typing is lost; offline), and the fillable PDF read back field by field with pypdf."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog
from pypdf import PdfReader, PdfWriter

from .test_two_countries import WIDTHS, guarded

TYPED = "Case note typed by the reader 4711"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_field_is_visible_with_its_label_above_it(server: str, browser: Browser,
                                                        width: str) -> None:
    context, refused = guarded(browser, width)
    tab = context.new_page()
    tab.goto(server + "en/referral-form/")
    fields = tab.locator(".trm-form input[type=text], .trm-form input[type=date], "
                         ".trm-form textarea")
    assert fields.count() >= 10
    for i in range(fields.count()):
        field = fields.nth(i)
        field.scroll_into_view_if_needed()
        box = field.bounding_box()
        assert box and box["height"] >= 24 and box["width"] >= 200, field.get_attribute("id")
        style = field.evaluate("f => { const s = getComputedStyle(f); return "
                               "[parseFloat(s.borderTopWidth), s.borderTopColor]; }")
        assert style[0] >= 1 and style[1] not in ("rgba(0, 0, 0, 0)", "transparent"), style
        label = tab.locator(f"label[for='{field.get_attribute('id')}']")
        above = label.bounding_box()
        assert above and above["y"] + above["height"] <= box["y"] + 1, "label above its field"
    groups = tab.locator(".trm-form fieldset.field")
    assert groups.count() >= 3
    for g in range(groups.count()):
        options = groups.nth(g).locator("label.option")
        assert groups.nth(g).locator("legend").inner_text().strip()
        tops = []
        for o in range(options.count()):
            option = options.nth(o)
            assert option.locator("input").count() == 1, "each option has its own label"
            assert option.inner_text().strip()
            tops.append(option.bounding_box()["y"])  # type: ignore[index]
        assert tops == sorted(tops) and len(set(tops)) == len(tops), "one option a line"
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
    assert refused == []


def test_print_or_save_and_nothing_stored_or_sent(server: str, browser: Browser) -> None:
    context, refused = guarded(browser, "phone")
    tab = context.new_page()
    tab.goto(server + "en/referral-form/")
    note = tab.locator(".trm-form-note")
    assert "not saved and not sent anywhere" in note.inner_text()
    assert "shared computer" in note.inner_text()
    tab.locator("#field-referral-reason").fill(TYPED)
    tab.locator(".trm-form label.option", has_text="Yes, orally").click()
    tab.evaluate("window.print = () => { window.trmPrinted = true; }")
    button = tab.get_by_role("button", name="Print or save as PDF")
    button.click()
    assert tab.evaluate("window.trmPrinted") is True
    stored = tab.evaluate("JSON.stringify([Object.entries(localStorage), "
                          "Object.entries(sessionStorage), document.cookie])")
    assert TYPED not in stored and "orally" not in stored
    tab.emulate_media(media="print")
    assert note.is_hidden() and button.is_hidden()
    assert tab.locator("#field-referral-reason").is_visible()
    assert tab.locator(".md-sidebar--primary").is_hidden()
    context.close()
    assert refused == []


def test_leaving_with_something_typed_asks_first(server: str, browser: Browser) -> None:
    context, _ = guarded(browser, "desktop")
    tab = context.new_page()
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.accept()

    tab.on("dialog", answer)
    tab.goto(server + "en/referral-form/")
    tab.goto(server + "en/")
    assert asked == [], "an untouched form lets the reader go"
    tab.goto(server + "en/referral-form/")
    tab.locator("#field-referral-reason").click()
    tab.keyboard.type(TYPED)
    tab.goto(server + "en/")
    assert asked == ["beforeunload"]
    context.close()


def test_the_form_works_offline(shipped_site: Path, tmp_path: Path, browser: Browser) -> None:
    with zipfile.ZipFile(shipped_site / "downloads/trm-guidelines-fr-offline.zip") as z:
        z.extractall(tmp_path)
    context, refused = guarded(browser, "phone")
    tab = context.new_page()
    tab.goto((tmp_path / "trm-guidelines-fr/fr/referral-form.html").as_uri())
    tab.get_by_role("button", name="Imprimer ou enregistrer en PDF").wait_for()
    tab.locator("#field-referral-reason").fill(TYPED)
    assert tab.locator("#field-referral-reason").input_value() == TYPED
    context.close()
    assert refused == []


def test_every_pdf_field_fills_and_reads_back_on_its_own(shipped_site: Path) -> None:
    reader = PdfReader(shipped_site / "downloads/trm-referral-form-en.pdf")
    fields = reader.get_fields() or {}
    texts = [name for name, f in fields.items() if f.get("/FT") == "/Tx"]
    boxes = [name for name, f in fields.items() if f.get("/FT") == "/Btn" and "/Kids" not in f
             and "." not in name]
    radios = {name: [s for s in f.get("/_States_", []) if s != "/Off"]
              for name, f in fields.items() if f.get("/FT") == "/Btn" and "/Kids" in f}
    assert len(texts) >= 10 and len(boxes) >= 9 and len(radios) >= 3
    assert len([b for b in boxes if b.startswith("services-requested-")]) == 9
    writer = PdfWriter()
    writer.append(reader)
    values: dict[str, str] = {name: f"value of {name}" for name in texts}
    values.update({name: "/Yes" if "/Yes" in (fields[name].get("/_States_") or []) else
                   next(s for s in fields[name]["/_States_"] if s != "/Off")
                   for name in boxes[::2]})
    values.update({name: states[-1] for name, states in radios.items()})
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    back = PdfReader(io.BytesIO(out.getvalue())).get_fields() or {}
    for name in texts:
        assert back[name].get("/V") == f"value of {name}", name
    for i, name in enumerate(boxes):
        if i % 2 == 0:
            assert back[name].get("/V") == values[name], name
        else:
            assert back[name].get("/V") in (None, "/Off"), name
    chosen: dict[str, list[str]] = {name: [] for name in radios}  # one answer, the one given
    for page in PdfReader(io.BytesIO(out.getvalue())).pages:
        for annotation in page.get("/Annots", []):
            widget = annotation.get_object()
            if widget.get("/T") in radios and widget.get("/AS") not in (None, "/Off"):
                chosen[widget["/T"]].append(widget["/AS"])
    assert chosen == {name: [states[-1]] for name, states in radios.items()}
