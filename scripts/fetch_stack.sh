#!/usr/bin/env bash
# Fetch the non-Docker stack's artifacts once from Maven Central into the cache, verify their
# SHA-256, and unpack the two servers there. scripts/stack.sh only reads the cache: nothing
# downloads when a service starts. Called by `scripts/setup.sh --test` / `--stack`.
#
# Cache: $JANGBOGI_STACK_CACHE, default ${XDG_CACHE_HOME:-~/.cache}/jangbogi/stack (next to the
# Delta jar cache of spark_jobs/jars.py).
#   apache-hive-metastore-3.1.3-bin/   Hive Metastore 3.1.3 (standalone), unpacked
#   trino-server-476/                  Trino 476, unpacked, plugins other than KEEP_PLUGINS removed
#   postgresql-42.7.4.jar, commons-collections-3.2.2.jar
# The Trino tarball (821 MB) is deleted once unpacked and verified; its SHA-256 is kept in the
# unpacked folder's stamp, so a rerun neither downloads nor unpacks again.
set -euo pipefail
MAVEN=${JANGBOGI_MAVEN_URL:-https://repo1.maven.org/maven2}
CACHE=${JANGBOGI_STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/jangbogi/stack}
# Trino plugins the catalogs in trino_catalog/catalog/ use (delta-lake needs geospatial's
# Geometry type at start); the other 50-odd (~340 MB) go.
KEEP_PLUGINS="delta-lake geospatial postgresql"

say() { printf '[fetch-stack] %s\n' "$*" >&2; }

# file  maven path  sha256 (computed on the downloaded files; they match Maven Central's .sha1 too)
ARTIFACTS=(
  "hive-standalone-metastore-3.1.3-bin.tar.gz org/apache/hive/hive-standalone-metastore/3.1.3/hive-standalone-metastore-3.1.3-bin.tar.gz 83ddf76717eeb789091d845c069a631c25cad561c3d31ec0843a1ddf21f29409"
  "trino-server-476.tar.gz io/trino/trino-server/476/trino-server-476.tar.gz cfd5accde17e8ebd251eeeb78aed1f490e77bb3a164d95a0f454bf8a7c1cbd3f"
  "postgresql-42.7.4.jar org/postgresql/postgresql/42.7.4/postgresql-42.7.4.jar 188976721ead8e8627eb6d8389d500dccc0c9bebd885268a3047180274a6031e"
  "commons-collections-3.2.2.jar commons-collections/commons-collections/3.2.2/commons-collections-3.2.2.jar eeeae917917144a68a741d4c0dff66aa5c5c5fd85593ff217bced3fc8ca783b8"
)
HMS_DIR=apache-hive-metastore-3.1.3-bin
TRINO_DIR=trino-server-476

sha() { sha256sum "$1" | cut -d' ' -f1; }

# unpacked <dir> <stamp>: the folder exists and was unpacked as the stamp says (tarball checksum,
# and for Trino the plugins kept)
unpacked() { [ -f "$CACHE/$1/.jangbogi-unpacked" ] && [ "$(cat "$CACHE/$1/.jangbogi-unpacked")" = "$2" ]; }

fetch() { # fetch <file> <maven path> <sha256>
  local file=$1 path=$2 want=$3 t0
  if [ -f "$CACHE/$file" ] && [ "$(sha "$CACHE/$file")" = "$want" ]; then return 0; fi
  t0=$(date +%s)
  say "fetching $MAVEN/$path"
  curl -fsSL --retry 3 -o "$CACHE/$file.part" "$MAVEN/$path"
  if [ "$(sha "$CACHE/$file.part")" != "$want" ]; then
    rm -f "$CACHE/$file.part"
    say "checksum mismatch for $path (expected $want): not using it"
    exit 1
  fi
  mv "$CACHE/$file.part" "$CACHE/$file"
  say "$file: $(du -h "$CACHE/$file" | cut -f1) in $(( $(date +%s) - t0 )) s"
}

unpack() { # unpack <tarball> <dir> <stamp>
  local tarball=$1 dir=$2 want=$3 t0
  t0=$(date +%s)
  rm -rf "${CACHE:?}/$dir" "${CACHE:?}/$dir.tmp"
  mkdir -p "$CACHE/$dir.tmp"
  tar xzf "$CACHE/$tarball" -C "$CACHE/$dir.tmp" --strip-components=1
  echo "$want" > "$CACHE/$dir.tmp/.jangbogi-unpacked"
  mv "$CACHE/$dir.tmp" "$CACHE/$dir"
  say "unpacked $tarball in $(( $(date +%s) - t0 )) s"
}

mkdir -p "$CACHE"
for entry in "${ARTIFACTS[@]}"; do
  read -r file path want <<<"$entry"
  case "$file" in
    *-bin.tar.gz) dir=$HMS_DIR stamp=$want ;;
    trino-server-*.tar.gz) dir=$TRINO_DIR stamp="$want plugins: $KEEP_PLUGINS" ;;
    *) dir="" stamp="" ;;
  esac
  if [ -n "$dir" ] && unpacked "$dir" "$stamp"; then continue; fi
  fetch "$file" "$path" "$want"
  [ -n "$dir" ] || continue
  unpack "$file" "$dir" "$stamp"
  if [ "$dir" = "$TRINO_DIR" ]; then
    for plugin in "$CACHE/$dir/plugin"/*; do
      case " $KEEP_PLUGINS " in *" $(basename "$plugin") "*) ;; *) rm -rf "$plugin" ;; esac
    done
    rm -f "$CACHE/$file" # 821 MB; the stamp keeps its checksum
    say "$dir: plugins kept: $KEEP_PLUGINS ($(du -sh "$CACHE/$dir" | cut -f1))"
  fi
done
say "ready: $CACHE"
