"""Build static/vendor/tabler-icons/sprite.svg: the Tabler Icons the templates use, as one
SVG sprite of <symbol>s (`{% icon "home" %}` in gonghui.core.templatetags.ui refers to them).

Usage, from an unpacked `npm pack @tabler/icons@<version>`:

    python tools/icon_sprite.py /tmp/package/icons/outline

Add a name to ICONS and rerun it when a template needs another icon.
"""

import re
import sys
from pathlib import Path

ICONS = (
    "alert-circle arrow-left arrows-sort bell briefcase building bulb calendar-event check chevron-right "
    "circle circle-check circle-dot clipboard-list clock coin file-import file-text filter heart-handshake "
    "home id-badge-2 inbox key language logout mail receipt report-analytics search settings shield-check "
    "sort-ascending sort-descending user user-plus users x"
).split()
# Presentation attributes, not a <style>: the sprite works under any CSP and in any browser.
STROKE = 'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"'
OUT = Path(__file__).resolve().parent.parent / "static" / "vendor" / "tabler-icons" / "sprite.svg"


def symbol(name: str, source: Path) -> str:
    svg = (source / f"{name}.svg").read_text()
    paths = re.findall(r"<(?:path|circle|rect|line|polyline|polygon|ellipse)\b[^>]*/>", svg, re.S)
    paths = [re.sub(r"\s+", " ", p) for p in paths if 'stroke="none"' not in p]
    return f'<symbol id="{name}" viewBox="0 0 24 24"><g {STROKE}>{"".join(paths)}</g></symbol>'


def main(source: Path) -> None:
    symbols = "".join(symbol(name, source) for name in sorted(ICONS))
    OUT.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><!-- Tabler Icons (MIT), see README.md -->' + symbols + "</svg>\n"
    )
    print(f"{OUT}: {len(ICONS)} icons, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
