#!/bin/sh
# install.sh: installs ssoenv from a release archive (what `cargo xtask dist` writes).
#
#   curl -fsSL https://github.com/ssoenv/ssoenv/releases/latest/download/install.sh | sh
#   sh install.sh --from target/dist          # archives already here, no download
#
# Picks the archive for this machine (uname -s / -m), downloads it and SHA256SUMS with curl or
# wget (or takes both from --from DIR), refuses it unless its SHA-256 is the one SHA256SUMS
# lists, then installs the binary into ~/.local/bin, the man pages into
# ~/.local/share/man/man1 and the bash, zsh and fish completions where each shell looks,
# every file by rename, so a running ssoenv is never half overwritten.
#
# POSIX sh (dash, bash, zsh, busybox ash); shellcheck clean.
set -eu

repository=https://github.com/ssoenv/ssoenv

usage() {
	cat <<EOF
usage: install.sh [--from DIR] [--version VERSION] [--bin-dir DIR] [--base-url URL]

  --from DIR         take the archive and SHA256SUMS from DIR instead of downloading them
                     (also: SSOENV_INSTALL_FROM=DIR)
  --version VERSION  install this release (e.g. 0.1.0) instead of the latest
  --bin-dir DIR      install the binary here [default: ~/.local/bin]
                     (also: SSOENV_INSTALL_BIN_DIR=DIR)
  --base-url URL     download from URL/<file> [default: $repository/releases/latest/download]

Man pages go to \${XDG_DATA_HOME:-~/.local/share}/man/man1, completions to
\${XDG_DATA_HOME:-~/.local/share}/bash-completion/completions (bash),
\${XDG_DATA_HOME:-~/.local/share}/zsh/site-functions (zsh) and
\${XDG_CONFIG_HOME:-~/.config}/fish/completions (fish).
EOF
}

say() { printf 'install.sh: %s\n' "$*" >&2; }
# A runtime failure: what went wrong and what to do, exit 1.
die() {
	say "$@"
	exit 1
}
# A wrong command line: exit 2.
usage_error() {
	say "$1"
	usage >&2
	exit 2
}

from=${SSOENV_INSTALL_FROM:-}
bin_dir=${SSOENV_INSTALL_BIN_DIR:-}
version=
base_url=
while [ "$#" -gt 0 ]; do
	case $1 in
	--from | --version | --bin-dir | --base-url)
		[ "$#" -ge 2 ] || usage_error "$1 needs a value"
		case $1 in
		--from) from=$2 ;;
		--version) version=${2#v} ;;
		--bin-dir) bin_dir=$2 ;;
		--base-url) base_url=$2 ;;
		esac
		shift 2
		;;
	-h | --help)
		usage
		exit 0
		;;
	*) usage_error "unknown argument: $1" ;;
	esac
done

[ -n "${HOME:-}" ] || die "HOME is not set: cannot find ~/.local; pass --bin-dir DIR"
[ -n "$bin_dir" ] || bin_dir=$HOME/.local/bin
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
config_home=${XDG_CONFIG_HOME:-$HOME/.config}

# The release target of this machine, from uname: the Linux archives are static (musl) builds
# that run on any distribution; macOS has one archive per CPU.
os=$(uname -s)
cpu=$(uname -m)
case $os in
Linux) os_part=unknown-linux-musl ;;
Darwin) os_part=apple-darwin ;;
MINGW* | MSYS* | CYGWIN* | Windows_NT)
	die "this is Windows ($os): install with Scoop (scoop install ssoenv) or unzip the x86_64-pc-windows-gnu .zip archive"
	;;
*)
	die "no ssoenv archive for the operating system '$os' (uname -s); there are archives for Linux and macOS (Darwin), x86_64 and aarch64; elsewhere build from source: cargo install --locked ssoenv"
	;;
esac
case $cpu in
x86_64 | amd64) cpu_part=x86_64 ;;
aarch64 | arm64) cpu_part=aarch64 ;;
*)
	die "no ssoenv archive for the CPU '$cpu' (uname -m) on $os; there are archives for x86_64 and aarch64; elsewhere build from source: cargo install --locked ssoenv"
	;;
esac
# A shell under Rosetta 2 says x86_64 on Apple silicon: the native arm64 build is better.
if [ "$os" = Darwin ] && [ "$cpu_part" = x86_64 ] &&
	[ "$(sysctl -n hw.optional.arm64 2>/dev/null || true)" = 1 ]; then
	cpu_part=aarch64
fi
target=$cpu_part-$os_part

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ssoenv-install.XXXXXX") || die "could not create a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# fetch NAME: copies (--from) or downloads NAME into $tmp.
fetch() {
	if [ -n "$from" ]; then
		[ -f "$from/$1" ] || die "$from/$1 does not exist (--from $from): run 'cargo xtask dist' or pass the directory holding the release files"
		cp "$from/$1" "$tmp/$1"
		return
	fi
	url=$base_url/$1
	if command -v curl >/dev/null 2>&1; then
		curl --proto '=https' --tlsv1.2 -fsSL -o "$tmp/$1" "$url" || die "could not download $url (curl)"
	elif command -v wget >/dev/null 2>&1; then
		wget -q --https-only -O "$tmp/$1" "$url" || die "could not download $url (wget)"
	else
		die "neither curl nor wget is installed: install one, or download $url yourself and pass --from DIR"
	fi
}

if [ -z "$from" ] && [ -z "$base_url" ]; then
	if [ -n "$version" ]; then
		base_url=$repository/releases/download/v$version
	else
		base_url=$repository/releases/latest/download
	fi
fi

fetch SHA256SUMS
# The archive is the one SHA256SUMS lists for this target (and version, when given).
archive=
expected=
while read -r sum name; do
	name=${name#\*}
	case $name in
	ssoenv-*-"$target".tar.gz) ;;
	*) continue ;;
	esac
	if [ -n "$version" ] && [ "$name" != "ssoenv-$version-$target.tar.gz" ]; then
		continue
	fi
	archive=$name
	expected=$sum
done <"$tmp/SHA256SUMS"
[ -n "$archive" ] || die "SHA256SUMS lists no archive for $target${version:+ version $version}"
case $archive in
*/* | .*) die "SHA256SUMS names an unsafe file: $archive" ;;
esac

fetch "$archive"
if command -v sha256sum >/dev/null 2>&1; then
	actual=$(sha256sum "$tmp/$archive")
elif command -v shasum >/dev/null 2>&1; then
	actual=$(shasum -a 256 "$tmp/$archive")
else
	die "neither sha256sum nor shasum is installed: cannot verify $archive"
fi
actual=${actual%% *}
[ "$actual" = "$expected" ] ||
	die "checksum mismatch for $archive: SHA256SUMS says $expected, the file has $actual; nothing was installed (download again; if it persists, report it)"

top=${archive%.tar.gz}
(cd "$tmp" && gzip -dc "$archive" | tar -xf -) || die "could not unpack $archive"
[ -f "$tmp/$top/ssoenv" ] || die "$archive holds no $top/ssoenv"

# put SRC DIR NAME MODE: installs SRC as DIR/NAME by rename from a temporary file in DIR.
put() {
	mkdir -p "$2" || die "could not create $2"
	part=$2/.$3.ssoenv-install.$$
	cp "$1" "$part" || die "could not write $part"
	chmod "$4" "$part" || die "could not chmod $part"
	mv -f "$part" "$2/$3" || {
		rm -f "$part"
		die "could not install $2/$3"
	}
}

put "$tmp/$top/ssoenv" "$bin_dir" ssoenv 755
for page in "$tmp/$top"/man/man1/*.1; do
	if [ -f "$page" ]; then put "$page" "$data_home/man/man1" "${page##*/}" 644; fi
done
c=$tmp/$top/completions
if [ -f "$c/ssoenv.bash" ]; then put "$c/ssoenv.bash" "$data_home/bash-completion/completions" ssoenv 644; fi
if [ -f "$c/_ssoenv" ]; then put "$c/_ssoenv" "$data_home/zsh/site-functions" _ssoenv 644; fi
if [ -f "$c/ssoenv.fish" ]; then put "$c/ssoenv.fish" "$config_home/fish/completions" ssoenv.fish 644; fi

installed=$("$bin_dir/ssoenv" --version 2>/dev/null) ||
	die "installed $bin_dir/ssoenv but it does not run here ($target): remove it and build from source: cargo install --locked ssoenv"
say "installed $installed into $bin_dir/ssoenv"
say "man pages in $data_home/man/man1; completions for bash, zsh and fish"
case ":${PATH:-}:" in
*":$bin_dir:"*) ;;
*) say "$bin_dir is not on your PATH: add it in your shell's startup file, e.g. export PATH=\"$bin_dir:\$PATH\"" ;;
esac
say "zsh: add $data_home/zsh/site-functions to fpath before compinit for completions"
say "next: add the shell integration to your startup file, e.g. eval \"\$(ssoenv init bash)\" (see ssoenv init --help)"
