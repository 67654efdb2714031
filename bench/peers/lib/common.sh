# Shared by the bash adapters in bench/peers/ (sourced, not run).
# Classifies a query the way the benchmark's ground truth does
# (tests/oracle/contract.py): CJK ranges of the contract, plus half-width
# katakana U+FF66..U+FF9F, which NFKC turns into CJK.
export LC_ALL=C.UTF-8
CJK_RANGES=$'\u1100-\u11ff\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3105-\u312f\u3131-\u318e\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U0001b000-\U0001b16f\U00020000-\U0003134f'

# qkind QUERY -> sets QKIND to cjk (every char CJK), latin (no CJK char)
# or mixed (both, e.g. ML活用, Debianパッケージ).
qkind() {
    case $1 in
        *[!$CJK_RANGES]*)
            case $1 in
                *[$CJK_RANGES]*) QKIND=mixed ;;
                *) QKIND=latin ;;
            esac ;;
        *) QKIND=cjk ;;
    esac
}

die() { printf '%s\n' "$*" >&2; exit 2; }

usage() {
    die "usage: $0 index CORPUS_DIR INDEX_DIR | query INDEX_DIR CORPUS_DIR QUERY | describe"
}

# prepare_index DIR MARKER: leave DIR existing and empty. An existing DIR is
# emptied only when it is empty already or holds MARKER (this peer's own
# index from an earlier run); anything else is refused, so a wrong argument
# never wipes a folder.
prepare_index() {
    if [ -d "$1" ] && [ -n "$(ls -A -- "$1")" ]; then
        [ -e "$1/$2" ] ||
            die "$(basename -- "$0"): $1 is not empty and holds no index of this peer ($2): not wiping it"
        rm -rf -- "$1" || die "$(basename -- "$0"): cannot remove $1"
    fi
    mkdir -p -- "$1" || die "$(basename -- "$0"): cannot make $1"
}
