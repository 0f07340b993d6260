#!/bin/sh
# dict_stats.sh -- sizes of the default dictionaries in data/: entries per
# kind and verb patterns per CAMEO root.
#
#     sh tools/dict_stats.sh [DATA_DIR]
#
# Counts what the files say, line by line, so it needs no build; the
# loader's own counts (kh_dict_get_stats) are printed by
# tests/test_defaults.c.  A pattern "[:CODE]" (reversed roles) counts for
# CODE's root; a pair "[A:B]" counts for A's.
dir=${1:-data}
set -e

count() {   # count FILES... -- non-comment lines that match the awk test
    test=$1; shift
    cat "$@" 2>/dev/null | sed 's/#.*//' | awk "NF && ($test)" | wc -l
}

actors=$(ls "$dir"/*.actors.txt 2>/dev/null || true)
printf '%-28s %6s\n' "kind" "count"
printf '%-28s %6s\n' "actor phrases (with synonyms)" \
    "$(count '$1 !~ /^\[/' $actors)"
printf '%-28s %6s\n' "  of which named in a block" \
    "$(count '$1 !~ /^[[+]/' $actors)"
printf '%-28s %6s\n' "dated roles" "$(count '/\[[A-Z]+ *[<>0-9]/' $actors)"
printf '%-28s %6s\n' "agents" "$(count '/\[~|~\]/' "$dir"/*.agents.txt)"
printf '%-28s %6s\n' "verbs (lemmas and phrases)" \
    "$(cat "$dir"/*.verbs.txt | awk '/^#+ *VERB PATTERNS/ { on = 1; next }
        { sub(/#.*/, "") } on && NF && $0 !~ /^(- |---)/' | wc -l)"
printf '%-28s %6s\n' "verb blocks" "$(count '/^---/' "$dir"/*.verbs.txt)"
printf '%-28s %6s\n' "synonym sets" "$(count '/^&/' "$dir"/*.verbs.txt)"
printf '%-28s %6s\n' "verb patterns" "$(count '/^- /' "$dir"/*.verbs.txt)"
printf '%-28s %6s\n' "discards" "$(count '1' "$dir"/*.discards.txt)"
echo
echo "patterns per CAMEO root:"
cat "$dir"/*.verbs.txt | awk '
    /^- / {
        line = $0
        sub(/#.*/, "", line)
        n = split(line, parts, "[")
        code = parts[n]
        sub(/\].*/, "", code)
        gsub(/ /, "", code)
        if (code ~ /^:/) code = substr(code, 2)
        if (code ~ /^-/) { root = "---" } else { root = substr(code, 1, 2) }
        count[root]++
        total++
    }
    END {
        split("Make public statement|Appeal|Express intent to cooperate|Consult|Engage in diplomatic cooperation|Engage in material cooperation|Provide aid|Yield|Investigate|Demand|Disapprove|Reject|Threaten|Protest|Exhibit force posture|Reduce relations|Coerce|Assault|Fight|Unconventional mass violence", name, "|")
        for (r = 1; r <= 20; r++) {
            key = sprintf("%02d", r)
            printf "  %s %-34s %5d\n", key, name[r], count[key]
        }
        printf "  --- %-34s %5d\n", "no event (null code)", count["---"]
        printf "  total %37d\n", total
    }'
