"""The A4 label sheet of a section: its own QR label, then one per work step, in Chinese,
drawn by WeasyPrint with Noto Sans CJK SC (installed by `make pdf-libs`)."""
from __future__ import annotations

import base64
import html

from ..syncing.qr import qr_image, record_link
from .codes import printed, short_code

STYLE = """
@page { size: A4; margin: 12mm; }
body { font-family: "Noto Sans CJK SC", sans-serif; margin: 0; color: #111; }
h1 { font-size: 14pt; margin: 0 0 4mm; }
.sheet { display: flex; flex-wrap: wrap; gap: 4mm; }
.label { width: 58mm; height: 82mm; border: 0.3mm dashed #888; padding: 3mm;
         box-sizing: border-box; text-align: center; page-break-inside: avoid; }
.label img { width: 44mm; height: 44mm; }
.kind { font-size: 8pt; color: #555; }
.name { font-size: 12pt; font-weight: bold; margin: 1mm 0; }
.crew { font-size: 9pt; }
.code { font-family: "DejaVu Sans Mono", monospace; font-size: 15pt; font-weight: bold;
        letter-spacing: 0.6mm; margin-top: 1mm; }
"""


def _label(root: str, type_name: str, record_id: str, kind: str, name: str, detail: str) -> str:
    png, _ = qr_image(record_link(root, type_name, record_id), "png")
    source = "data:image/png;base64," + base64.b64encode(png).decode()
    return (f'<div class="label"><img src="{source}" alt="">'
            f'<div class="kind">{html.escape(kind)}</div>'
            f'<div class="name">{html.escape(name)}</div>'
            f'<div class="crew">{html.escape(detail)}</div>'
            f'<div class="code">{printed(short_code(record_id))}</div></div>')


def sheet_html(root: str, section: dict, steps: list[dict]) -> str:
    """The sheet as HTML: `section` and each of `steps` are record values with their id."""
    title = f"{section.get('code') or ''} {section.get('name') or ''}".strip()
    labels = [_label(root, "section", section["id"], "标段", title, "扫码查看标段及工序追溯")]
    labels += [_label(root, "work_step", step["id"], "工序", step.get("step") or "",
                      f"班组：{step['crew']}" if step.get("crew") else "")
               for step in steps]
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<style>{STYLE}</style></head><body><h1>{html.escape(title)} · 二维码标签</h1>'
            f'<div class="sheet">{"".join(labels)}</div></body></html>')


def sheet_pdf(root: str, section: dict, steps: list[dict]) -> bytes:
    """The sheet as PDF bytes."""
    from weasyprint import HTML  # loads Pango: only when a sheet is printed
    return HTML(string=sheet_html(root, section, steps)).write_pdf()
