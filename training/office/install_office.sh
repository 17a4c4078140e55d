#!/usr/bin/env bash
# The OS packages the office-PDF generator needs (Debian 12 bookworm; run as root). Idempotent: apt-get install
# leaves installed packages alone. `python -m training.office.make_office_pdfs` converts with `soffice --headless`.
#
# libreoffice-writer-nogui   Writer + core without any GUI toolkit: the smallest set whose `soffice --headless
#                            --convert-to pdf` reads .docx and writes PDF (the -nogui builds are the same
#                            LibreOffice as libreoffice-writer / libreoffice-core, minus X11/GTK)
# fonts-noto-cjk             Noto Sans CJK SC / Noto Serif CJK SC (OpenType CFF, CID-keyed when embedded)
# fonts-wqy-zenhei           WenQuanYi Zen Hei (TrueType collection, Hei style)
# fonts-wqy-microhei         WenQuanYi Micro Hei (TrueType collection)
# fonts-arphic-ukai          AR PL UKai CN: a Kai-style font, the closest to the FangSong/Kai body text of
#                            official documents that the repository carries with simplified-Chinese coverage
# fonts-arphic-uming         AR PL UMing CN: a Ming/Song-style font
# fonts-liberation2          Liberation Serif/Sans: what LibreOffice substitutes for Times New Roman/Arial, the
#                            Latin fonts Word-made reports give their digits (mixed Latin/CJK fonts on a line)
set -euo pipefail
PKGS=(libreoffice-writer-nogui fonts-noto-cjk fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming
      fonts-liberation2)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${PKGS[@]}"
  fc-cache -f >/dev/null
fi
dpkg-query -W -f='${Package} ${Version}\n' "${PKGS[@]}"
