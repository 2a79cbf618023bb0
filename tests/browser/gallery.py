"""The reviewers' gallery: every page × role × width of the page walk on one HTML page.

`./dev screenshots` runs the walk with GONGHUI_GALLERY=1, which calls `record` for each page
(screenshots and one JSON line per page in var/gallery/), then `python -m tests.browser.gallery`
writes var/gallery/index.html. Nothing here is committed.
"""

import html
import json
import re
import sys
from pathlib import Path

GALLERY = Path(__file__).resolve().parents[2] / "var" / "gallery"


def record(page, *, role: str, width: str, name: str, url: str) -> None:
    GALLERY.mkdir(parents=True, exist_ok=True)
    image = f"{role}-{width}-{re.sub(r'[^A-Za-z0-9]+', '-', name).strip('-')}.png"
    from tests.browser.helpers import screenshot  # needs Django's settings: the walk has them, the index does not

    screenshot(page, GALLERY / image)
    entry = {"role": role, "width": width, "name": name, "url": url, "title": page.title(), "image": image}
    with (GALLERY / f"pages-{role}-{width}.jsonl").open("a", encoding="utf-8") as lines:
        lines.write(json.dumps(entry, ensure_ascii=False) + "\n")


def write_index() -> Path:
    entries = [json.loads(line) for path in sorted(GALLERY.glob("pages-*.jsonl")) for line in path.open()]
    entries.sort(key=lambda e: (e["name"], e["role"], int(e["width"])))
    sections, current = [], None
    for entry in entries:
        if entry["name"] != current:
            current = entry["name"]
            sections.append(f"<h2 id='{html.escape(current)}'>{html.escape(current)}</h2>")
        sections.append(
            "<figure><a href='{image}'><img loading='lazy' src='{image}' width='{shown}' alt=''></a>"
            "<figcaption>{role} · {width} px · {title}<br><code>{url}</code></figcaption></figure>".format(
                image=html.escape(entry["image"]),
                shown=195 if entry["width"] == "390" else 480,
                role=html.escape(entry["role"]),
                width=entry["width"],
                title=html.escape(entry["title"]),
                url=html.escape(entry["url"]),
            )
        )
    index = GALLERY / "index.html"
    index.write_text(
        "<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>gonghui gallery</title>"
        "<style>body{font-family:sans-serif;margin:1rem}figure{display:inline-block;vertical-align:top;"
        "margin:0 1rem 1rem 0}img{border:1px solid #ccc}figcaption{font-size:12px;max-width:480px}</style>"
        f"<h1>gonghui — {len(entries)} screenshots</h1>" + "\n".join(sections),
        encoding="utf-8",
    )
    return index


if __name__ == "__main__":
    print(f"gallery: {write_index()}", file=sys.stdout)
