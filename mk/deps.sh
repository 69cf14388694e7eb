#!/bin/sh
# Install the Debian 12 packages chaos needs to build and test.
# A no-op (one dpkg-query) when every package is already installed.
# --no-install-recommends matters: xen-utils recommends the hypervisor,
# grub-xen-host and qemu-system-xen, which a build machine does not want.
set -eu

PACKAGES="
build-essential pkg-config clang libclang-rt-14-dev
libxen-dev xen-utils-4.17 xenstore-utils
check libudev-dev
zlib1g-dev liblzma-dev libzstd-dev libbz2-dev
qemu-system-x86 cpio kmod gzip xz-utils zstd
bridge-utils iproute2
"

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *" installed") ;;
        *) missing="$missing $p" ;;
    esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing Debian packages:$missing" >&2
    echo "deps: run 'make deps' as root, or: apt-get install --no-install-recommends$missing" >&2
    exit 1
fi

echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
