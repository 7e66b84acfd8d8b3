"""Checklist templates for safety checks: built-in ones and those a project admin adds.

Templates are synced records like any other, so a phone has them offline. Each project
gets the built-in templates when it is created; admins may add, edit or retire templates.
"""
from marshmallow import Schema, fields, validate
from sqlalchemy import JSON, Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from sync import FieldKind, RecordType

from ..extensions import db
from .base import RecordMixin, RecordSchema, text

LWW = FieldKind.LWW

TYPE = RecordType("checklist", {
    "project_id": LWW, "code": LWW, "name": LWW, "name_en": LWW, "items": LWW,
    "builtin": LWW, "active": LWW,
}, immutable=frozenset({"project_id", "code"}))


class Checklist(RecordMixin, db.Model):
    __tablename__ = "checklists"
    code: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    # [{"code": "EX01", "text": "…", "text_en": "…", "unit": "%"?}, …] in the order they are checked.
    items: Mapped[list] = mapped_column(JSON, default=list)
    builtin: Mapped[bool | None] = mapped_column(Boolean)
    active: Mapped[bool | None] = mapped_column(Boolean)


class ChecklistItem(Schema):
    code = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,64}\Z"))
    text = fields.String(required=True, validate=validate.Length(min=1, max=300))
    text_en = fields.String(validate=validate.Length(max=300), allow_none=True)
    # Set when the item is checked by measuring (e.g. compaction in %): the unit it is read in.
    unit = fields.String(validate=validate.Length(min=1, max=16), allow_none=True)


class ChecklistFields(RecordSchema):
    required_on_create = ("code", "name", "items")
    code = fields.String(validate=validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,63}\Z",
                                                  error="1–64 lower-case letters, digits, _ -"))
    name = fields.String(validate=validate.Length(min=1, max=200))
    name_en = text(200, allow_none=True)
    items = fields.List(fields.Nested(ChecklistItem), validate=validate.Length(min=1, max=100))
    builtin = fields.Boolean()
    active = fields.Boolean()


# The built-in templates: common checks on Chinese municipal and building sites.
BUILTIN = [
    ("edge", "临边防护", "Edge protection", [
        ("ED01", "临边、洞口防护栏杆高度不低于 1.2 m，设挡脚板", "Guardrails at edges and openings at least 1.2 m high, with toe boards"),
        ("ED02", "沟槽、基坑周边设置连续防护及警示标志", "Continuous barriers and warning signs around trenches and pits"),
        ("ED03", "夜间设置警示灯，照明充足", "Warning lights at night; lighting sufficient"),
        ("ED04", "防护设施无缺损、无擅自拆除", "Protection intact, nothing removed without approval"),
    ]),
    ("scaffold", "脚手架", "Scaffolding", [
        ("SC01", "脚手架搭设有专项方案并经验收挂牌", "Scaffold has a method statement, inspected and tagged"),
        ("SC02", "立杆基础平整坚实，设垫板和扫地杆", "Standards on firm level ground with base plates and sweep rods"),
        ("SC03", "连墙件、剪刀撑设置齐全", "Wall ties and cross bracing complete"),
        ("SC04", "作业层满铺脚手板，设防护栏杆和挡脚板", "Working platform fully boarded, with guardrails and toe boards"),
    ]),
    ("excavation", "基坑与沟槽开挖", "Excavation and pits", [
        ("EX01", "按方案放坡或支护，坡度符合要求", "Sloped or shored as planned"),
        ("EX02", "槽边 1 m 内无堆土、无重载车辆", "No spoil or heavy vehicles within 1 m of the edge"),
        ("EX03", "设上下爬梯，深度超过 2 m 设临边防护", "Ladder access; edge protection where deeper than 2 m"),
        ("EX04", "地下管线已探明并标识，机械避让", "Buried services located and marked; machines keep clear"),
        ("EX05", "积水及时排除，边坡无裂缝、无渗水", "Water pumped out; no cracks or seepage on slopes"),
    ]),
    ("electrical", "临时用电", "Temporary electricity", [
        ("EL01", "三级配电、两级漏电保护，一机一闸一漏一箱", "Three-level distribution, two-level RCDs, one switch per machine"),
        ("EL02", "电缆架空或埋地敷设，无破损、无拖地", "Cables overhead or buried, undamaged, not trailing"),
        ("EL03", "配电箱门锁完好，有警示标识和责任人", "Distribution boxes locked, signed, with a named person"),
        ("EL04", "电工持证上岗，巡检记录齐全", "Electricians certified; inspection log complete"),
    ]),
    ("lifting", "起重吊装", "Lifting", [
        ("LF01", "起重机械检验合格，司机、司索持证", "Crane certified; operator and slinger licensed"),
        ("LF02", "吊索具完好，无断丝、无变形", "Slings and hooks sound, no broken wires or deformation"),
        ("LF03", "吊装区域设警戒，专人指挥", "Lifting zone cordoned off, with a banksman"),
        ("LF04", "支腿垫实，与架空线路保持安全距离", "Outriggers on pads; safe distance from overhead lines"),
    ]),
    ("fire", "消防", "Fire", [
        ("FI01", "灭火器配置到位、在有效期内", "Fire extinguishers in place and in date"),
        ("FI02", "动火作业办理动火证，有看火人", "Hot work permit issued; fire watch present"),
        ("FI03", "易燃易爆物品分类存放，远离火源", "Flammables stored apart and away from ignition"),
        ("FI04", "消防通道畅通", "Fire access routes clear"),
    ]),
    ("ppe", "个人防护用品", "PPE", [
        ("PP01", "进场人员正确佩戴安全帽", "Everyone on site wears a hard hat correctly"),
        ("PP02", "高处作业系挂安全带", "Harness worn and clipped on when working at height"),
        ("PP03", "穿反光背心、劳保鞋", "High-visibility vest and safety boots worn"),
        ("PP04", "特殊作业配备护目镜、防尘口罩、耳塞", "Goggles, dust masks and ear plugs for special work"),
    ]),
]


def builtin_fields(project_id: str) -> list[tuple[str, dict]]:
    """(code, fields) of every built-in template for a project."""
    return [(code, {"project_id": project_id, "code": code, "name": name, "name_en": name_en,
                    "builtin": True, "active": True,
                    "items": [{"code": c, "text": t, "text_en": e} for c, t, e in items]})
            for code, name, name_en, items in BUILTIN]
