"""What a PDF really contains, asked of poppler-utils (pdftotext, pdfimages, pdfinfo...)."""

import re
import shutil
import subprocess
import zlib
from pathlib import Path


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    executable = shutil.which(tool)
    assert executable, f"{tool} is missing: apt-get install -y poppler-utils"
    path = tmp_path / f"{tool}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603 - a fixed tool on a file this test wrote
        [executable, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        check=True,
        text=True,
    ).stdout


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    return poppler("pdftotext", pdf, tmp_path, "-layout")


def embedded_files(pdf: bytes, tmp_path: Path) -> str:
    return poppler("pdfdetach", pdf, tmp_path, "-list")


def image_list(pdf: bytes, tmp_path: Path) -> list[str]:
    """Rows of `pdfimages -list` for real images (soft masks left out)."""
    rows = poppler("pdfimages", pdf, tmp_path, "-list").splitlines()[2:]
    return [row for row in rows if row.split()[2] == "image"]


def page_count(pdf: bytes, tmp_path: Path) -> int:
    info = poppler("pdfinfo", pdf, tmp_path)
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for dictionary entries."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
