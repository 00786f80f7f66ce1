"""How the bank hears of confirmed and voided service records (sent by the volunteers app)."""

from coproduce.timebank import services


def on_record_confirmed(sender, *, record, actor, **kwargs) -> None:
    """A confirmed record earns its hours, once: the posting key names the record."""
    services.hours_earn(record=record, actor=actor)


def on_record_voided(sender, *, record, actor, reason="", **kwargs) -> None:
    """A voided record's hours are reversed by a new entry; spent hours make the void fail."""
    services.hours_unearn(record=record, actor=actor, reason=reason)
