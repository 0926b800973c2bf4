"""Fetch the front-end packages the map uses from the npm registry and unpack the files it
needs into src/lifeline/sites/static/vendor/ (ignored by git: never pasted into the repo).

Each package is pinned by version and by the registry's sha512 integrity; a tarball that does
not match is refused. Already unpacked packages (same version) are skipped, so `make` may run
this every time. Run by the Makefile when the virtualenv is set up.

    python scripts/vendor_static.py [--force]
"""

import argparse
import base64
import hashlib
import io
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
DEST = Path(__file__).resolve().parent.parent / "src" / "lifeline" / "sites" / "static" / "vendor"

# name: (version, sha512 integrity, {path in the tarball: path under vendor/<name>/})
PACKAGES: dict[str, tuple[str, str, dict[str, str]]] = {
    "leaflet": (
        "1.9.4",
        "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        {
            "package/dist/leaflet.js": "leaflet.js",
            "package/dist/leaflet.css": "leaflet.css",
            "package/dist/images/layers.png": "images/layers.png",
            "package/dist/images/layers-2x.png": "images/layers-2x.png",
            "package/LICENSE": "LICENSE",
        },
    ),
    "leaflet.markercluster": (
        "1.5.3",
        "sha512-vPTw/Bndq7eQHjLBVlWpnGeLa3t+3zGiuM7fJwCkiMFq+nmRuG3RI3f7f4N4TDX7T4NpbAXpR2+NTRSEGfCSeA==",
        {
            "package/dist/leaflet.markercluster.js": "leaflet.markercluster.js",
            "package/dist/MarkerCluster.css": "MarkerCluster.css",
            "package/dist/MarkerCluster.Default.css": "MarkerCluster.Default.css",
            "package/MIT-LICENCE.txt": "LICENSE",
        },
    ),
    "topojson-client": (
        "3.1.0",
        "sha512-605uxS6bcYxGXw9qi62XyrV6Q3xwbndjachmNxu8HWTtVPxZfEJN9fd/SZS1Q54Sn2y0TMyMxFj/cJINqGHrKw==",
        {"package/dist/topojson-client.min.js": "topojson-client.min.js", "package/LICENSE": "LICENSE"},
    ),
    # Natural Earth country outlines (public domain) as TopoJSON.
    "world-atlas": (
        "2.0.2",
        "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
        {"package/countries-50m.json": "countries-50m.json", "package/LICENSE": "LICENSE"},
    ),
}


def _fetch(name: str, version: str, integrity: str) -> bytes:
    basename = name.rsplit("/", 1)[-1]
    url = f"{REGISTRY}/{name}/-/{basename}-{version}.tgz"
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - fixed https URL
        data = response.read()
    algorithm, _sep, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise SystemExit(f"{name}@{version}: the tarball does not match its pinned integrity")
    return data


def _unpack(name: str, data: bytes, files: dict[str, str], target: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        members = {member.name: member for member in archive.getmembers() if member.isfile()}
        for source, dest in files.items():
            if source not in members:
                raise SystemExit(f"{name}: {source} is not in the package")
            extracted = archive.extractfile(members[source])
            assert extracted is not None  # noqa: S101 - a regular file
            path = target / dest
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(extracted.read())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--force", action="store_true", help="fetch again even if present")
    args = parser.parse_args()
    for name, (version, integrity, files) in PACKAGES.items():
        target = DEST / name
        marker = target / ".version"
        if not args.force and marker.exists() and marker.read_text() == version:
            continue
        shutil.rmtree(target, ignore_errors=True)
        _unpack(name, _fetch(name, version, integrity), files, target)
        marker.write_text(version)
        print(f"vendored {name}@{version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
