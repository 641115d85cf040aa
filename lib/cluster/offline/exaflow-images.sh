#!/usr/bin/env bash
# Builds one of Exaflow's own images (controller, worker, aggregation server) from a checkout, without
# any container registry:
#   exaflow-images.sh <checkout> <python prefix> <poetry groups> <final-stage Dockerfile> <image ref> [label=value...]
# <python prefix> is a CPython of the minor version upstream's Dockerfiles use (3.10), built for a glibc
# no newer than Debian bookworm's (pyenv's on a bookworm host). Three layers:
# 1. a base: a Debian bookworm root filesystem (debootstrap) with the shared libraries that CPython's
#    extension modules link to, and that CPython copied to /usr/local (as the python:3.10-slim images
#    have it), imported once into the local Docker engine;
# 2. the role's packages: the poetry groups upstream's Dockerfile installs, exported from its
#    poetry.lock with poetry 1.8.2 + poetry-plugin-export 1.8.0 (the poetry upstream pins), wheels
#    downloaded from PyPI for that CPython and installed into /usr/local/lib/python3.10/site-packages;
# 3. upstream's own final stage (given, with its FROM turned into the layer above and the copy from the
#    dropped builder stage removed) built with the checkout as its context.
# Cache (outside the repository): ${MIP_VERIFY_CACHE:-$HOME/.cache/mip-verify}/exaflow/{debs,wheels,poetry-*}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${MIP_VERIFY_CACHE:-$HOME/.cache/mip-verify}/exaflow"
. "$here/../../../fixtures/images/rootfs-kit.sh"
# CPython from a bookworm host links against bookworm's glibc and libraries.
suite=bookworm
poetry_version=1.8.2
export_plugin_version=1.8.0

# A line at least every 20 s while a phase runs silently (debootstrap, pip), so logs show the build is alive.
phase() { echo "$*"; echo "$*" > "$work/phase"; }
( trap 'kill "$nap" 2>/dev/null; exit 0' TERM
  started=$SECONDS
  while :; do sleep 20 & nap=$!; wait "$nap"; echo "still working: $(cat "$work/phase" 2>/dev/null) ($((SECONDS - started)) s)"; done ) &
heartbeat=$!
trap 'kill "$heartbeat" 2>/dev/null; rm -rf "$work"' EXIT

[ $# -ge 5 ] || { echo "usage: exaflow-images.sh <checkout> <python prefix> <poetry groups> <final-stage Dockerfile> <image ref> [label=value...]" >&2; exit 2; }
checkout="$1"; python_prefix="$2"; groups="$3"; final_dockerfile="$4"; image="$5"; shift 5
# The checkout's identity as image labels (`docker build --label`: metadata only, after every cached step).
labels=(); for label in "$@"; do labels+=(--label "$label"); done
python="$python_prefix/bin/python3"
minor="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
full="$("$python" -c 'import platform; print(platform.python_version())')"

# What CPython's extension modules link to (ldd of lib-dynload on the build host), plus passwd for the
# final stages' groupadd/useradd and the data every python:*-slim image carries.
packages=libssl3,libffi8,libsqlite3-0,libbz2-1.0,liblzma5,zlib1g,libreadline8,libncursesw6,libuuid1,libexpat1,libgdbm6,libnsl2,libtirpc3,libcrypt1,ca-certificates,tzdata,netbase,passwd

make_base() { # <base ref>
  phase "Debian $suite root filesystem for the base"
  debootstrap_root "$packages"
  phase "CPython $full from the build host into /usr/local"
  # The interpreter and its standard library only: no site-packages of the build host, no tests, IDLE,
  # Tk or build files.
  tar -C "$python_prefix" \
    --exclude="lib/python$minor/site-packages/*" --exclude="lib/python$minor/test" \
    --exclude="lib/python$minor/idlelib" --exclude="lib/python$minor/tkinter" --exclude="lib/python$minor/turtledemo" \
    --exclude="lib/python$minor/lib-dynload/_tkinter*" --exclude="lib/python$minor/config-*" \
    --exclude='bin/2to3*' --exclude='bin/idle*' --exclude='bin/pip*' --exclude='bin/pydoc*' --exclude='bin/*-config' --exclude='bin/*-gdb.py' \
    -c bin lib include | tar -C "$work/root/usr/local" -x
  in_root ldconfig
  in_root /usr/local/bin/python3 -c 'import ssl, sqlite3, ctypes, bz2, lzma, zlib, uuid, readline, decimal, hashlib; print("python", __import__("sys").version.split()[0], "runs in the root filesystem")'
  import_root "$1" 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENV LANG=C.UTF-8'
}

base="$(base_tag exaflow-python "$packages python=$full" make_base -- "$python_prefix/bin/python$minor")"
# The three roles may be built at the same time: one builds the shared base, the others wait for it.
ensure_base "$base" make_base

# poetry as upstream's Dockerfiles use it, in a venv of its own in the cache.
poetry_dir="$cache/poetry-$poetry_version-export-$export_plugin_version"
if [ ! -x "$poetry_dir/bin/poetry" ]; then
  phase "poetry $poetry_version + poetry-plugin-export $export_plugin_version"
  rm -rf "$poetry_dir"
  "$python" -m venv "$poetry_dir"
  "$poetry_dir/bin/pip" install -q --disable-pip-version-check "poetry==$poetry_version" "poetry-plugin-export==$export_plugin_version"
fi
mkdir -p "$work/project"
cp "$checkout/pyproject.toml" "$checkout/poetry.lock" "$work/project/"
only=(); for group in $groups; do only+=(--only "$group"); done
(cd "$work/project" && POETRY_VIRTUALENVS_CREATE=false "$poetry_dir/bin/poetry" export -q -f requirements.txt --without-hashes "${only[@]}" -o "$work/requirements.txt")
echo "poetry groups $groups: $(grep -c '==' "$work/requirements.txt") pinned packages"

# Bytecode is compiled in the image, as pip does when upstream's poetry installs: the images run as an
# unprivileged user who cannot write __pycache__ there, and without it every import (the worker's health
# probe imports pandas, SciPy and scikit-learn) compiles from source again.
deps_recipe="FROM $base
COPY site-packages /usr/local/lib/python$minor/site-packages/
COPY bin /usr/local/bin/
RUN python -m compileall -q -j 0 /usr/local/lib/python$minor/site-packages >/dev/null"
deps="mip-verify.local/exaflow-deps:$(hash_of "$deps_recipe" "$(cat "$work/requirements.txt")")"
if ! image_exists "$deps"; then
  mkdir -p "$cache/wheels" "$work/deps"
  phase "wheels of groups $groups for CPython $full from PyPI"
  # Wheels only, chosen by that CPython's own pip, so markers and platform tags are the image's.
  "$python" -m pip download -q --disable-pip-version-check --only-binary=:all: --dest "$cache/wheels" -r "$work/requirements.txt"
  "$python" -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-index --find-links "$cache/wheels" \
    --only-binary=:all: --no-compile --target "$work/deps/site-packages" -r "$work/requirements.txt"
  phase "packages of groups $groups into the image"
  mkdir -p "$work/deps/bin"
  if [ -d "$work/deps/site-packages/bin" ]; then
    mv "$work/deps/site-packages/bin/"* "$work/deps/bin/" 2>/dev/null || true
    rmdir "$work/deps/site-packages/bin"
    # Console scripts name the build host's interpreter: point them at the image's.
    sed -i "1s|^#!.*python.*|#!/usr/local/bin/python$minor|" "$work/deps/bin/"* 2>/dev/null || true
  fi
  printf '%s\n' "$deps_recipe" > "$work/deps/Dockerfile"
  docker_build "$deps" "$work/deps" "packages of groups $groups"
fi

# Upstream's final stage, with the checkout's sources as its context (no bytecode caches).
mkdir -p "$work/ctx"
tar -C "$checkout" --exclude=__pycache__ --exclude='*.pyc' -c exaflow pyproject.toml poetry.lock | tar -C "$work/ctx" -x
cp "$final_dockerfile" "$work/ctx/Dockerfile"
phase "upstream's final stage"
docker build -q ${labels[@]+"${labels[@]}"} --build-arg "EXAFLOW_BASE=$deps" -t "$image" "$work/ctx" > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
echo "built $image from upstream's Dockerfile"
print_size "$image"
