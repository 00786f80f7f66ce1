"""The item catalog of PRODUCT.md 3.6 with units, quanta and reference values (our estimates).

Food prices are the ones the demo's Yuanqiao deliveries use (docs/relief.md): with them the
paper's quantities come to exactly RMB 2,861,329.
"""

from decimal import Decimal

from django.db import migrations

# slug, name, name_zh, category, unit, quantum, reference value per unit in fen
CATALOG = [
    ("surgical-mask", "Surgical mask", "医用外科口罩", "medical", "piece", "1", 200),
    ("protective-suit", "Protective suit", "医用防护服", "medical", "piece", "1", 15000),
    ("goggles", "Goggles", "护目镜", "medical", "pair", "1", 3500),
    ("shoe-covers", "Shoe covers", "鞋套", "medical", "pair", "1", 300),
    ("thermometer", "Infrared thermometer", "红外体温计", "medical", "piece", "1", 12000),
    ("disinfectant", "Disinfectant (500 ml)", "消毒液（500毫升）", "medical", "bottle", "1", 1500),
    ("pork", "Pork", "猪肉", "food", "kg", "0.5", 4800),
    ("vegetables", "Vegetables", "蔬菜", "food", "kg", "0.5", 770),
    ("eggs", "Eggs", "鸡蛋", "food", "kg", "0.5", 1200),
    ("rice", "Rice", "大米", "food", "kg", "0.5", 594),
    ("cooking-oil", "Cooking oil (5 L)", "食用油（5升）", "food", "bottle", "1", 7850),
    # Value-only aggregate of gifts not itemized (the paper: "other materials worth RMB 239 m").
    ("other-materials", "Other materials", "其他物资", "other", "set", "1", 0),
]


def load(apps, schema_editor):
    Item = apps.get_model("relief", "Item")
    for slug, name, name_zh, category, unit, quantum, value in CATALOG:
        Item.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_zh": name_zh,
                "category": category,
                "unit": unit,
                "quantum": Decimal(quantum),
                "unit_value_fen": value,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("relief", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
