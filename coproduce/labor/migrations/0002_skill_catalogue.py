"""The first skills of the labor catalogue (admins add more in the back office)."""

from django.db import migrations

SKILLS = [
    ("general-worker", "General production worker", "普工"),
    ("welder", "Welder", "焊工"),
    ("cnc-operator", "CNC machine operator", "数控机床操作工"),
    ("assembler", "Assembler", "装配工"),
    ("electronics-assembler", "Electronics assembler", "电子装配工"),
    ("sewing-operator", "Sewing machine operator", "缝纫工"),
    ("shoe-stitcher", "Shoe upper stitcher", "制鞋工"),
    ("glass-worker", "Glass processing worker", "玻璃加工工"),
    ("injection-molder", "Injection molding operator", "注塑工"),
    ("spray-painter", "Spray painter", "喷涂工"),
    ("quality-inspector", "Quality inspector", "质检员"),
    ("electrician", "Electrician", "电工"),
    ("maintenance-fitter", "Maintenance fitter", "机修工"),
    ("forklift-driver", "Forklift driver", "叉车司机"),
    ("truck-driver", "Truck driver", "货车司机"),
    ("warehouse-keeper", "Warehouse keeper", "仓库管理员"),
    ("packer", "Packer", "包装工"),
    ("loader", "Loader", "装卸工"),
    ("canteen-cook", "Canteen cook", "食堂厨师"),
    ("cleaner", "Cleaner", "保洁员"),
]


def add(apps, schema_editor):
    Skill = apps.get_model("labor", "Skill")
    for code, en, zh in SKILLS:
        Skill.objects.update_or_create(code=code, defaults={"name_en": en, "name_zh": zh})


def remove(apps, schema_editor):
    apps.get_model("labor", "Skill").objects.filter(code__in=[c for c, _, _ in SKILLS]).delete()


class Migration(migrations.Migration):
    dependencies = [("labor", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
