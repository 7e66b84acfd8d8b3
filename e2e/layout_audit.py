"""The layout audit both screen tours share (test_screens.py: core screens; test_field_screens.py:
field screens).

`Tour.visit` lays a screen out at the phone's own size (conftest.PHONE, 390×844) and at 360×800,
the narrowest phones on site, screenshots it at both and measures what a site foreman would trip
over: sideways scrolling, controls under 44 px (gloves), controls off screen, text cut off, text
too faint to read in sunlight (WCAG AA contrast), status-bar text squeezed onto more lines than it
needs, a bar of filter chips wrapping, an item of a summary line split across lines, a record named by its id,
and interface words in the other language (English on a Chinese screen, Chinese on an English one).
Screenshots go to e2e/screenshots/<name>.png and <name>-360.png.
"""
from __future__ import annotations

from playwright.sync_api import expect

from conftest import scroll_into_view

MIN_TARGET_PX = 44  # the smallest control a gloved thumb hits reliably
NARROW = {"width": 360, "height": 800}  # the narrowest phones in use on site

# Measures the page as laid out; returns the problems found, as text.
AUDIT = """(zh) => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth}px`);
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && !el.closest('[hidden]') && getComputedStyle(el).visibility !== 'hidden';
  };
  const name = (el) => el.dataset.testid || el.getAttribute('aria-label') || el.textContent.trim().slice(0, 24);
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, label[for]')) {
    if (!visible(el) || (el.type === 'file')) continue;
    const r = el.getBoundingClientRect();
    // Inline links inside running text are exempt (WCAG 2.5.8); everything tapped on its own is not.
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') continue;
    if (el.tagName === 'LABEL' && !el.classList.contains('button')) continue;
    if (r.height < %(min)d || r.width < %(min)d) problems.push(`small target ${el.tagName.toLowerCase()} "${name(el)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    const scrolls = (node) => node && node !== document.body
      && (/(auto|scroll)/.test(getComputedStyle(node).overflowX) || scrolls(node.parentElement));
    if ((r.right > width + 1 || r.left < -1) && !scrolls(el.parentElement)) problems.push(`off screen ${el.tagName.toLowerCase()} "${name(el)}"`);
  }
  // Text contrast (WCAG AA: 4.5:1, 3:1 for large text), against the backgrounds actually behind it.
  const rgba = (css) => (css.match(/[\\d.]+/g) ?? []).map(Number).concat([1]).slice(0, 4);
  const luminance = ([r, g, b]) => [r, g, b].map((c) => c / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  const backdrop = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const bg = rgba(getComputedStyle(node).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let [r, g, b] = [255, 255, 255];
    for (const [lr, lg, lb, a] of layers.reverse()) [r, g, b] = [lr * a + r * (1 - a), lg * a + g * (1 - a), lb * a + b * (1 - a)];
    return [r, g, b];
  };
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    // Disabled controls are exempt (WCAG 1.4.3); text faded some other way is measured as faded.
    if (!own || !visible(el) || el.closest(':disabled, [aria-disabled=true]')) continue;
    const style = getComputedStyle(el);
    const [red, green, blue, alpha] = rgba(style.color);
    let shown = alpha;
    for (let node = el; node; node = node.parentElement) shown *= Number(getComputedStyle(node).opacity);
    if (shown === 0) continue;
    const back = backdrop(el);
    const ink = [red, green, blue].map((c, i) => c * shown + back[i] * (1 - shown));
    const [l1, l2] = [luminance(ink), luminance(back)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) problems.push(`low contrast ${ratio.toFixed(2)}:1 "${el.textContent.trim().slice(0, 30)}"`);
  }
  for (const el of document.querySelectorAll('body *')) {
    if (!visible(el) || el.children.length > 0 || !el.textContent.trim() || el.matches('input, select, textarea')) continue;
    const style = getComputedStyle(el);
    const clips = style.overflow === 'hidden' || style.textOverflow === 'ellipsis';
    if (clips && el.scrollWidth > el.clientWidth + 1) problems.push(`text cut off "${el.textContent.trim().slice(0, 30)}"`);
  }
  // The status bar keeps to short lines: a text there on more lines than it needs was squeezed
  // beside something else (one longer than the bar is wide, e.g. an error asking for action, may wrap).
  for (const el of document.querySelectorAll('.status-bar *')) {
    if (!visible(el) || el.children.length > 0 || !el.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const boxes = [...range.getClientRects()].sort((a, b) => a.top - b.top);
    const style = getComputedStyle(el);
    let lines = 0;
    for (let i = 0, top = -Infinity; i < boxes.length; i += 1) {
      if (boxes[i].top > top + parseFloat(style.lineHeight) / 2) [lines, top] = [lines + 1, boxes[i].top];
    }
    const needs = boxes.reduce((sum, box) => sum + box.width, 0) + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    if (lines > 1 && needs <= el.closest('.status-row').clientWidth) {
      problems.push(`text squeezed onto ${lines} lines "${el.textContent.trim().slice(0, 30)}"`);
    }
  }
  // A bar of filter chips stays one line under the row that scrolls.
  for (const bar of document.querySelectorAll('.filter-bar')) {
    const tops = new Set([...bar.querySelectorAll('.filter-chip')].filter(visible).map((chip) => Math.round(chip.getBoundingClientRect().top)));
    if (tops.size > 1) problems.push(`filter chips on ${tops.size} lines "${bar.textContent.trim().slice(0, 40)}"`);
  }
  // An item of a summary line ("Progress: 0%%", a name: the text between " · ") breaks onto the next line
  // whole, never in its middle, unless it is wider than the line.
  for (const summary of document.querySelectorAll('.record-summary')) {
    if (!visible(summary)) continue;
    const room = summary.getBoundingClientRect().width;
    const walker = document.createTreeWalker(summary, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      let start = 0;
      for (const item of node.textContent.split(' · ')) {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, start + item.length);
        start += item.length + 3;
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        const lines = new Set(rects.map((r) => Math.round(r.top))).size;
        const wide = rects.reduce((sum, r) => sum + r.width, 0);
        if (lines > 1 && wide < room - 1) problems.push(`summary item split "${item.trim().slice(0, 30)}"`);
      }
    }
  }
  // A record named by its id ("e0d42ca3", a UUID) instead of its title, in any language and any
  // part of the screen (fields and history too): no one types eight hex digits mixing letters and digits.
  const idLike = /(^|[^0-9A-Za-z])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,}($|[^0-9A-Za-z])/;
  const ids = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = ids.nextNode(); node; node = ids.nextNode()) {
    if (!node.parentElement || !visible(node.parentElement) || node.parentElement.closest('input, textarea, noscript')) continue;
    if (idLike.test(node.textContent)) problems.push(`id on screen: "${node.textContent.trim().slice(0, 40)}"`);
  }
  // Interface text in the other language: English on a Chinese screen, Chinese on an English one.
  // What people typed (titles, names, values, history) may be in any language and is skipped:
  // it is marked as such (<bdi>, data-user) or sits in a place that shows only it. Codes and units
  // in the interface (A02, DN600, m) have under 3 letters, and a label's short code
  // ([data-short-code], e.g. 7SR3-PMMV) is printed as it is in every language.
  const data = 'input, textarea, select, noscript, bdi, [data-user], [data-short-code], h1, h2, [data-testid=record-item], [data-testid^=record-field-], '
    + '[data-testid=record-history], [data-testid=conflict-yours], [data-testid=conflict-kept], [data-testid=attention-fields] dd';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement || !visible(node.parentElement) || node.parentElement.closest(data)) continue;
    if (zh) {
      const words = node.textContent.match(/[A-Za-z]{3,}/g) ?? [];
      // Names Chinese screens use as they are: the app, the demo mark, units and file formats.
      const english = words.filter((w) => !/^(Gridline|DEMO|AC|DN|PDF)$/.test(w));
      if (english.length) problems.push(`English in Chinese screen: "${node.textContent.trim().slice(0, 40)}"`);
    } else if (/[\u3400-\u9fff]/.test(node.textContent)) {
      problems.push(`Chinese in English screen: "${node.textContent.trim().slice(0, 40)}" in <${node.parentElement.tagName.toLowerCase()} ${node.parentElement.dataset.testid ?? node.parentElement.className}>`);
    }
  }
  return problems;
}""" % {"min": MIN_TARGET_PX}


def dismiss_storage_warning(page) -> None:
    """Dismisses the browser-storage warning, as a foreman would on day one, so the screens show
    what they are for (the warning itself is reviewed on the liaison's home in test_screens.py)."""
    page.wait_for_function("""() => navigator.storage.persisted().then((kept) =>
        kept || document.querySelector('[data-testid=storage-warning-dismiss]') !== null)""")
    if page.get_by_test_id("storage-warning-dismiss").count():
        page.get_by_test_id("storage-warning-dismiss").click()
    expect(page.get_by_test_id("storage-warning")).to_be_hidden()


def audit(page, locale: str) -> list[str]:
    """The problems of the screen `page` shows, as laid out now; `locale` is the UI's language."""
    return page.evaluate(AUDIT, locale == "zh-CN")


class Tour:
    """Walks one page through screens, screenshotting and auditing each at both widths.

    Screenshots are named `<prefix><screen>-<tag>` (tag: the locale unless given); what the audit
    finds is kept in `problems` ("<who> <screen> at <width>px" → list) for `assert_no_problems`.
    """

    def __init__(self, page, locale: str, screenshot, prefix: str = "", tag: str | None = None, who: str = ""):
        self.page = page
        self.locale = locale
        self.screenshot = screenshot
        self.prefix = prefix
        self.tag = locale if tag is None else tag
        self.who = f"{who} " if who else ""
        self.problems: dict[str, list[str]] = {}

    def visit(self, name: str, path: str | None = None, ready: str | None = None,
              full_page: bool = False, scroll_to=None) -> None:
        """Opens `path` (None: the screen already shown), waits for the testid `ready`, then
        screenshots and audits the screen at 360 px and at the phone's own size. `scroll_to`
        (a locator) is scrolled into view at each width; otherwise the scroll is left as it is."""
        page = self.page
        if path is not None:
            page.goto(path)
        if ready is not None:
            expect(page.get_by_test_id(ready).first).to_be_visible()
        page.wait_for_function("() => document.fonts.status === 'loaded'")
        # The toast is transient; let it go so it does not cover what is screenshotted.
        expect(page.locator("#toast")).to_be_hidden(timeout=10_000)
        phone = page.viewport_size
        try:
            for viewport, suffix in ((NARROW, "-360"), (phone, "")):
                page.set_viewport_size(viewport)
                if scroll_to is not None:
                    scroll_into_view(scroll_to)
                shot = self.screenshot(page, f"{self.prefix}{name}-{self.tag}{suffix}")
                if full_page:
                    page.screenshot(path=str(shot.with_name(f"{shot.stem}-full.png")), full_page=True)
                found = audit(page, self.locale)
                if found:
                    self.problems[f"{self.who}{name} at {viewport['width']}px"] = found
        finally:
            page.set_viewport_size(phone)


def assert_no_problems(*tours: Tour) -> None:
    """Fails with every problem the tours found, one per line."""
    lines = [f"{screen}: {problem}" for tour in tours for screen, found in tour.problems.items() for problem in found]
    assert lines == [], "\n".join(lines)
