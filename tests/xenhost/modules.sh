# shellcheck shell=bash
# Sourced by tests/xenhost/xenhost (the dom0 initramfs) and
# tests/linux-guest/build (the guest's).

# copy_modules ROOT DEST MODULE...: copies each MODULE of the kernel
# unpacked in ROOT (its /lib/modules, after depmod), with what it depends
# on, into DEST/modules/, and lists them in load order in
# DEST/modules.list. Returns non-zero when a module is missing or a copy
# fails.
copy_modules() {
    local root=$1 dest=$2 kver m list
    shift 2
    kver=$(ls "$root/lib/modules") || return 1
    list=$(for m in "$@"; do
               modprobe -d "$root" -S "$kver" --show-depends "$m" || exit 1
           done) || return 1
    mkdir -p "$dest/modules" || return 1
    : > "$dest/modules.list"
    for m in $(awk '$1 == "insmod" { print $2 }' <<< "$list" | awk '!seen[$0]++'); do
        cp "$m" "$dest/modules/" || return 1
        basename "$m" >> "$dest/modules.list"
    done
}
