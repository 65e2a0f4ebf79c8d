#!/usr/bin/env bash
# Install the system libraries Qt needs, only when some are missing.
# Usage: scripts/system-deps.sh VENV [offscreen|display|test]
# PySide6's wheels carry Qt itself but link against the system's X11, OpenGL, fonts and NSS
# libraries; a fresh Debian/Ubuntu machine may lack some. We ask the dynamic linker which
# ones are missing (ldd), and install the Debian packages that provide them.
set -euo pipefail
venv=${1:-.venv}
mode=${2:-offscreen}
# The tests also turn PDF briefs into PNG pages (poppler's pdftoppm) to look at them.
tools=()
[ "$mode" = test ] && ! command -v pdftoppm >/dev/null && tools+=(poppler-utils)
qt=$("$venv/bin/python" -c 'import PySide6, os; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt"))')
binaries=("$qt/lib/libQt6Gui.so.6" "$qt/lib/libQt6WebEngineCore.so.6" "$qt/libexec/QtWebEngineProcess"
          "$qt/plugins/platforms/libqoffscreen.so")
[ "$mode" = display ] && binaries+=("$qt/plugins/platforms/libqxcb.so" "$qt/lib/libQt6XcbQpa.so.6")

# soname prefix -> Debian package(s), the first one the archive knows is installed
declare -A package_for=(
  [libasound.so]="libasound2t64 libasound2" [libdrm.so]=libdrm2 [libEGL.so]=libegl1
  [libfontconfig.so]=libfontconfig1 [libfreetype.so]=libfreetype6 [libgbm.so]=libgbm1
  [libGL.so]=libgl1 [libOpenGL.so]=libopengl0 [libglib-2.0.so]=libglib2.0-0 [libgthread-2.0.so]=libglib2.0-0
  [libnspr4.so]=libnspr4 [libnss3.so]=libnss3 [libnssutil3.so]=libnss3 [libsmime3.so]=libnss3
  [libX11.so]=libx11-6 [libX11-xcb.so]=libx11-xcb1 [libxcb.so]=libxcb1 [libXcomposite.so]=libxcomposite1
  [libXdamage.so]=libxdamage1 [libXext.so]=libxext6 [libXfixes.so]=libxfixes3
  [libxkbcommon.so]=libxkbcommon0 [libxkbfile.so]=libxkbfile1 [libXrandr.so]=libxrandr2
  [libXrender.so]=libxrender1 [libXtst.so]=libxtst6 [libdbus-1.so]=libdbus-1-3
  [libxcb-cursor.so]=libxcb-cursor0 [libxcb-icccm.so]=libxcb-icccm4 [libxcb-keysyms.so]=libxcb-keysyms1
  [libxcb-image.so]=libxcb-image0 [libxcb-randr.so]=libxcb-randr0 [libxcb-render-util.so]=libxcb-render-util0
  [libxcb-shape.so]=libxcb-shape0 [libxcb-xinerama.so]=libxcb-xinerama0 [libxcb-xkb.so]=libxcb-xkb1
  [libxkbcommon-x11.so]=libxkbcommon-x11-0 [libxcb-shm.so]=libxcb-shm0 [libxcb-sync.so]=libxcb-sync1
  [libxcb-xfixes.so]=libxcb-xfixes0 [libxcb-render.so]=libxcb-render0 [libxcb-util.so]=libxcb-util1
  [libxshmfence.so]=libxshmfence1 [libXi.so]=libxi6
)
missing=$(for b in "${binaries[@]}"; do [ -e "$b" ] && ldd "$b" 2>/dev/null; done | awk '/not found/ {print $1}' | sort -u)
[ -z "$missing" ] && [ ${#tools[@]} -eq 0 ] && exit 0

packages=("${tools[@]}")
unknown=()
for so in $missing; do
  key=${so%%.so*}.so
  if [ -n "${package_for[$key]:-}" ]; then packages+=("${package_for[$key]}"); else unknown+=("$so"); fi
done
[ -n "$missing" ] && echo "Qt needs system libraries that are missing: $(echo $missing)" >&2
[ ${#tools[@]} -gt 0 ] && echo "The tests need: ${tools[*]}" >&2
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Install them with: sudo apt-get install $(echo ${packages[@]} | tr ' ' '\n' | awk '{print $NF}' | sort -u | tr '\n' ' ')" >&2
  exit 1
fi
apt-get update -qq
for choices in "${packages[@]}"; do
  for package in $choices; do
    if apt-cache show "$package" >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null && break
    fi
  done
done
[ ${#unknown[@]} -eq 0 ] || echo "No known package for: ${unknown[*]}" >&2
