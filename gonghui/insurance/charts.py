"""Geometry for horizontal inline-SVG bar charts, drawn by the template (server-side, no JS)."""

from decimal import Decimal


def bar_chart(bars, *, width: int = 320, bar_height: int = 22) -> dict:
    label_width, gap = 110, 6
    values = [Decimal(str(value)) for _label, value in bars]
    largest = max(values, default=Decimal(0)) or Decimal(1)
    room = width - label_width - 80
    items = []
    for index, ((label, value), number) in enumerate(zip(bars, values, strict=True)):
        length = int(room * number / largest) if number else 0
        y = index * (bar_height + gap)
        items.append(
            {
                "label": label,
                "value": value,
                "x": label_width,
                "y": y,
                "length": max(length, 0),
                "text_y": y + bar_height * 0.7,
                "value_x": label_width + max(length, 0) + 4,
            }
        )
    return {
        "width": width,
        "height": max(len(bars) * (bar_height + gap), bar_height),
        "bar_height": bar_height,
        "items": items,
    }
