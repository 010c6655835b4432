"""Build the subset SVG sprite of the Lucide icons the templates use."""

import re
import sys
from pathlib import Path

ICONS = [
    "house",
    "map-pin",
    "users",
    "scroll-text",
    "log-out",
    "languages",
    "search",
    "chevron-right",
    "download",
    "plus",
    "pencil",
    "trash-2",
    "key-round",
    "shield-check",
    "menu",
    "history",
]


def main(src: str, dest: str) -> None:
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" style="display:none">'
        "<!-- lucide-static 1.62.0, ISC licence, subset -->"
    ]
    for name in ICONS:
        text = (Path(src) / f"{name}.svg").read_text(encoding="utf-8").split("-->", 1)[-1]
        body = re.search(r">\s*(.*)</svg>", text, re.S)
        assert body, name
        out.append(
            f'<symbol id="i-{name}" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
            f'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">'
            f"{body.group(1).strip()}</symbol>"
        )
    out.append("</svg>")
    Path(dest).write_text("\n".join(out), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
