#!/usr/bin/env bash
# Builds the OpenMS streamlit-template's own image from a checkout, without any container registry:
#   openms-template.sh <checkout> <image ref> <driver.py> [label=value...]
# The labels (the checkout's commit and content digest) are set by `docker build --label`: image
# metadata only, after every cached step.
# Upstream's Dockerfile compiles OpenMS on ubuntu:22.04 with miniforge (stages setup-build-system and
# compile-openms), then its `run-app` stage installs the app. Here the first two stages are replaced
# by a base made from package registries: Debian bookworm (debootstrap) with Debian's TOPP tools,
# redis-server, nginx, cron and jq; Python 3.11 with the checkout's requirements.txt (pyopenms among
# them) from PyPI in /root/miniforge3/envs/streamlit-env; and two small stand-ins for the conda
# commands upstream's files call (`source /root/miniforge3/bin/activate <env>`, `mamba run -n <env>`).
# The checkout's `run-app` stage then runs as written, FROM that base, with the checkout as context
# (its apt-get step reaches the Debian mirror, and finds redis-server and nginx already installed).
# Four example mzML files are written under upstream's names when the checkout lacks them.
# Cache (outside the repository): ${MIP_VERIFY_CACHE:-$HOME/.cache/mip-verify}/openms-template/{debs,wheels}.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${MIP_VERIFY_CACHE:-$HOME/.cache/mip-verify}/openms-template"
. "$here/../../../fixtures/images/rootfs-kit.sh"
# bookworm's Python 3.11 is the one every pin of upstream's requirements.txt has wheels for
# (trixie's 3.13 has none for numpy 1.26.4); glibc 2.36.
suite=bookworm
python_version=3.11
platforms=(manylinux2014_x86_64 manylinux_2_17_x86_64 manylinux_2_24_x86_64 manylinux_2_27_x86_64
  manylinux_2_28_x86_64 manylinux_2_31_x86_64 manylinux_2_34_x86_64 manylinux_2_35_x86_64 manylinux_2_36_x86_64)
# debootstrap ignores Provides:, so libopenms's libboost-regex1.74.0-icu72 is named by its package.
packages=python3,python3-venv,topp,libboost-regex1.74.0,jq,redis-server,nginx,cron,init-system-helpers,procps,curl,ca-certificates
env_dir=/root/miniforge3/envs/streamlit-env

[ $# -ge 3 ] || { echo "usage: openms-template.sh <checkout> <image ref> <driver.py> [label=value...]" >&2; exit 2; }
checkout="$(cd "$1" && pwd)"; image="$2"; driver="$3"; shift 3
labels=(); for label in "$@"; do labels+=(--label "$label"); done

# The Python packages: upstream's requirements.txt, plus async-timeout, which redis-py needs below
# Python 3.11.3 and which the host's pip would otherwise judge by its own interpreter.
requirements="$work/requirements.txt"
{ cat "$checkout/requirements.txt"; echo; echo "async-timeout"; } > "$requirements"

make_base() { # <base ref>
  debootstrap_root "$packages"
  install_venv "$requirements" "$env_dir"
  mkdir -p "$work/root/root/miniforge3/bin"
  cat > "$work/root/root/miniforge3/bin/activate" <<'EOF'
# Stand-in for conda's activate: `source /root/miniforge3/bin/activate <env>` activates that env's venv.
# Safe under `set -euo pipefail`.
_env="${1:-streamlit-env}"
export VIRTUAL_ENV="/root/miniforge3/envs/${_env}" CONDA_PREFIX="/root/miniforge3/envs/${_env}" CONDA_DEFAULT_ENV="${_env}"
export PATH="/root/miniforge3/envs/${_env}/bin:$PATH"
unset _env
EOF
  cat > "$work/root/root/miniforge3/bin/mamba" <<'EOF'
#!/bin/bash
# Stand-in for `mamba run -n <env> <command...>`: runs the command with that env activated.
set -euo pipefail
[ "${1:-}" = run ] && [ "${2:-}" = -n ] || { echo "mamba stand-in: only 'mamba run -n <env> <command>' is supported" >&2; exit 2; }
env_name="$3"; shift 3
. /root/miniforge3/bin/activate "$env_name"
exec "$@"
EOF
  chmod +x "$work/root/root/miniforge3/bin/mamba"
  import_root "$1" 'ENV container=docker' 'ENV PATH=/root/miniforge3/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
}

base="$(base_tag openms-template-base "$packages" make_base -- "$requirements")"
ensure_base "$base" make_base

# The build context: the checkout as it is, plus example mzML files where it has none.
ctx="$work/ctx"
mkdir -p "$ctx"
tar -C "$checkout" --exclude=.git -cf - . | tar -C "$ctx" -xf -
mkdir -p "$ctx/example-data/mzML"
for name in Blank Control Pool Treatment; do
  file="$ctx/example-data/mzML/$name.mzML"
  [ -s "$file" ] && continue
  docker run --rm -i --network none -v "$ctx/example-data/mzML:/out" "$base" python3 - make-mzml "/out/$name.mzML" \
    --seed "$(printf '%s' "$name" | cksum | cut -d' ' -f1)" --scans 600 < "$driver" >/dev/null
  echo "example file written: example-data/mzML/$name.mzML"
done

# Upstream's run-app stage, FROM the base. What its earlier stages set and later lines rely on comes
# first: the shell every RUN uses (mamba run in the env) and the PORT build argument of EXPOSE.
stage="$(awk '/^FROM .* AS run-app/ { found = 1; next } found' "$checkout/Dockerfile")"
[ -n "$stage" ] || { echo "the checkout's Dockerfile has no 'FROM ... AS run-app' stage" >&2; exit 2; }
{
  echo "FROM $base"
  echo 'SHELL ["mamba", "run", "-n", "streamlit-env", "/bin/bash", "-c"]'
  echo 'ARG PORT=8501'
  printf '%s\n' "$stage"
} > "$ctx/Dockerfile.run-app"
echo "building the checkout's run-app stage ($(grep -c '^[A-Z]' "$ctx/Dockerfile.run-app") instructions)"
docker build -q ${labels[@]+"${labels[@]}"} -f "$ctx/Dockerfile.run-app" -t "$image" "$ctx" > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
echo "built $image from $(basename "$checkout")'s run-app stage"
print_size "$image"
