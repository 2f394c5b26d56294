#!/usr/bin/env bash
# Installs the system tools Sviedka needs from Debian's packages, and nothing else.
# Idempotent: when every tool is already present it only checks and prints, without touching apt.
#
#   chromium                -> /usr/bin/chromium (browser tests via playwright-core)
#   ffmpeg                  -> ffmpeg, ffprobe    (video keyframes, stream metadata, fixtures)
#   libimage-exiftool-perl  -> exiftool           (EXIF/XMP/IPTC metadata, fixtures)
#   bubblewrap              -> bwrap              (media tools confined: no network, read-only file system)
#
# Usage: bash scripts/setup-system.sh
set -euo pipefail

# package:command pairs; a package counts as present only when its command runs.
TOOLS=(
  "chromium:chromium"
  "ffmpeg:ffmpeg"
  "ffmpeg:ffprobe"
  "libimage-exiftool-perl:exiftool"
)
# Wanted but not required: without bubblewrap the media tools run with resource limits only (the server
# warns, and the confinement test is skipped), so a machine that cannot install it still runs the suite.
OPTIONAL=(
  "bubblewrap:bwrap"
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  fi
fi

have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'; }

# Collect the packages to install (deduplicated, order kept).
missing=()
for pair in "${TOOLS[@]}" "${OPTIONAL[@]}"; do
  pkg="${pair%%:*}"
  cmd="${pair##*:}"
  # A command on PATH is enough (it may come from elsewhere than Debian); otherwise ask dpkg
  # whether the package is installed but its command is off PATH (nothing to install then either).
  if have_cmd "$cmd" || { have_cmd dpkg && have_pkg "$pkg" && [ -x "/usr/bin/$cmd" ]; }; then
    continue
  fi
  case " ${missing[*]-} " in
    *" $pkg "*) ;;
    *) missing+=("$pkg") ;;
  esac
done

# Required packages among the missing ones (an install failure is fatal only for them).
required_missing=0
for pkg in "${missing[@]-}"; do
  for pair in "${TOOLS[@]}"; do [ "$pkg" = "${pair%%:*}" ] && required_missing=1; done
done
soft_fail() {
  if [ "$required_missing" -eq 0 ]; then
    echo "setup-system: warning: $1 (optional tools only; continuing)" >&2
    return 0
  fi
  echo "setup-system: $1" >&2
  exit 1
}

if [ "${#missing[@]}" -gt 0 ]; then
  if ! have_cmd apt-get; then
    soft_fail "missing ${missing[*]} and apt-get is not available; install them by hand"
  elif [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    soft_fail "missing ${missing[*]}; run as root or install sudo"
  else
    echo "setup-system: installing ${missing[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/tmp/sviedka-apt-update.log 2>&1; then
      soft_fail "apt-get update failed (see /tmp/sviedka-apt-update.log)"
    elif ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/tmp/sviedka-apt-install.log 2>&1; then
      tail -n 20 /tmp/sviedka-apt-install.log >&2 || true
      soft_fail "apt-get install ${missing[*]} failed (see /tmp/sviedka-apt-install.log)"
    fi
  fi
fi

# One line per tool, with its version; fail if any is still absent.
status=0
version_of() {
  case "$1" in
    chromium) chromium --version 2>/dev/null | head -n1 ;;
    ffmpeg) ffmpeg -hide_banner -version 2>/dev/null | head -n1 | awk '{print $3}' ;;
    ffprobe) ffprobe -hide_banner -version 2>/dev/null | head -n1 | awk '{print $3}' ;;
    exiftool) exiftool -ver 2>/dev/null ;;
    bwrap) bwrap --version 2>/dev/null | awk '{print $2}' ;;
  esac
}
for pair in "${TOOLS[@]}"; do
  cmd="${pair##*:}"
  if have_cmd "$cmd"; then
    printf '%-9s ok  %s (%s)\n' "$cmd" "$(command -v "$cmd")" "$(version_of "$cmd" || echo '?')"
  else
    printf '%-9s MISSING (package %s)\n' "$cmd" "${pair%%:*}" >&2
    status=1
  fi
done
for pair in "${OPTIONAL[@]}"; do
  cmd="${pair##*:}"
  if have_cmd "$cmd"; then
    printf '%-9s ok  %s (%s)\n' "$cmd" "$(command -v "$cmd")" "$(version_of "$cmd" || echo '?')"
  else
    printf '%-9s missing (optional package %s: media tools run with limits only)\n' "$cmd" "${pair%%:*}" >&2
  fi
done
if [ "$status" -ne 0 ]; then
  echo "setup-system: some tools are still missing after install" >&2
fi
exit "$status"
