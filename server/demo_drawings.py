"""The demo's drawing: a water main's plan in two revisions, made as PDFs at seed time."""
from __future__ import annotations

from functools import lru_cache

# Rev. B moves the valve chamber and adds a bypass; the revision table says so.
_REVISIONS = {
    "A": {"valve": 52, "bypass": "", "rows": "<tr><td>A</td><td>首次发布</td></tr>"},
    "B": {"valve": 68, "bypass": '<div class="bypass"></div><div class="tag" style="left:60%;top:30%">'
                                 '临时旁通管 DN300</div>',
          "rows": "<tr><td>A</td><td>首次发布</td></tr><tr><td>B</td><td>阀门井东移 16 m，增设旁通</td></tr>"},
}

_PAGE = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><style>
@page {{ size: A3 landscape; margin: 8mm; }}
body {{ font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; margin: 0; }}
.sheet {{ border: 1.5mm solid #111; height: 277mm; position: relative; }}
.road {{ position: absolute; left: 6%; right: 6%; top: 35%; height: 26%;
         border-top: 1mm solid #444; border-bottom: 1mm solid #444; background: #f1f1f1; }}
.centre {{ position: absolute; left: 6%; right: 6%; top: 48%; border-top: 0.6mm dashed #999; }}
.main {{ position: absolute; left: 6%; right: 6%; top: 42%; border-top: 1.6mm solid #0a58ca; }}
.bypass {{ position: absolute; left: 55%; width: 20%; top: 30%; height: 12%;
           border: 1.2mm solid #d63384; border-bottom: none; }}
.valve {{ position: absolute; top: 39.5%; width: 6mm; height: 6mm; border: 1mm solid #111;
          background: #fff; }}
.tag {{ position: absolute; font-size: 4.5mm; }}
.grid {{ position: absolute; top: 66%; font-size: 4mm; color: #555; }}
.block {{ position: absolute; right: 0; bottom: 0; width: 42%; border-top: 1mm solid #111;
          border-left: 1mm solid #111; font-size: 4mm; }}
.block td {{ border: 0.3mm solid #111; padding: 1.5mm 3mm; }}
.block table {{ border-collapse: collapse; width: 100%; }}
h1 {{ font-size: 7mm; margin: 2mm 3mm; }}
</style><body><div class="sheet">
<div class="road"></div><div class="centre"></div><div class="main"></div>
{bypass}
<div class="valve" style="left:{valve}%"></div>
<div class="tag" style="left:{valve}%;top:33%">阀门井 F-2</div>
<div class="tag" style="left:8%;top:37%">DN600 给水主管</div>
<div class="grid" style="left:6%">K0+000</div><div class="grid" style="left:46%">K0+175</div>
<div class="grid" style="left:86%">K0+350</div>
<div class="tag" style="left:8%;top:8%">解放路（北段）给水管线迁改平面图 1:500</div>
<div class="block"><h1>道施-03 给水管线迁改平面图</h1><table>
<tr><td>版次</td><td>说明</td></tr>{rows}
<tr><td>当前版次</td><td>{revision}</td></tr></table></div>
</div>
<div style="page-break-before: always"></div>
<div class="sheet"><div class="tag" style="left:8%;top:8%">道施-03 说明（第 2 页）</div>
<div class="tag" style="left:8%;top:16%;width:80%">1. 管材：球墨铸铁管 K9 级，承插连接。<br>
2. 阀门井按国标 05S502 施工。<br>3. 燃气管两侧 2 m 范围内人工开挖。<br>
4. 版次 {revision}。</div></div>
</body></html>"""


@lru_cache(maxsize=None)
def water_main_plan(revision: str) -> bytes:
    """道施-03 as a two-page PDF at `revision` ("A" or "B"); made once per process."""
    import weasyprint  # loaded only when the demo is seeded: it takes a moment

    html = _PAGE.format(revision=revision, **_REVISIONS[revision])
    return weasyprint.HTML(string=html).write_pdf()


_CHANGE_ORDER = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><style>
@page { size: A4; margin: 15mm; }
body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif; font-size: 4mm; }
h1 { font-size: 7mm; text-align: center; }
td { border: 0.3mm solid #111; padding: 2mm 3mm; }
table { border-collapse: collapse; width: 100%; }
</style><body><h1>工程变更单 变更-001</h1><table>
<tr><td>工程名称</td><td>解放路（北段）给水管线迁改</td></tr>
<tr><td>变更部位</td><td>B02 段 W14 检查井</td></tr>
<tr><td>变更内容</td><td>W14 检查井位置东移 1.5 m，避让既有燃气管；井位坐标见附图。</td></tr>
<tr><td>费用影响</td><td>增加砌筑 1.2 m³，约 ¥1,860</td></tr>
<tr><td>监理意见</td><td></td></tr></table></body></html>"""


@lru_cache(maxsize=None)
def change_order_sheet() -> bytes:
    """变更-001 as a one-page PDF; made once per process."""
    import weasyprint

    return weasyprint.HTML(string=_CHANGE_ORDER).write_pdf()
