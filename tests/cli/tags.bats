#!/usr/bin/env bats
# Tags: those of the front matter and the #tags of the prose alike;
# `mlsearch tags` lists them, for an editor to complete tag: from.

load helpers

setup() {
    enter_work_dir
    printf -- '---\ntags: [mlops, ML]\n---\n# Note\n\nDeploy #mlops and #推論 today; issue #123, C#.\n\n`#incode` in code\n\n```\n#inblock\n```\n\nhttp://x.example/#frag and (#paren)\n' > notes/a.md
    printf '#mlops alone\n\n## Heading #inhead\n' > notes/b.md
    "$MLS" index notes
}

teardown() { leave_work_dir; }

@test "a #tag in a note's prose is a tag as a front-matter one is; not in code, a link or a number" {
    run -0 "$MLS" -l tag:mlops
    [ "$output" = "notes/a.md
notes/b.md" ]
    run -0 "$MLS" -l tag:推論
    [ "$output" = "notes/a.md" ]
    run -0 "$MLS" -l tag:inhead
    [ "$output" = "notes/b.md" ]
    for not_a_tag in incode inblock frag 123; do
        run -1 "$MLS" -l "tag:$not_a_tag"
    done
}

@test "mlsearch tags lists every tag with its notes, as tag: matches them" {
    run -0 --separate-stderr "$MLS" tags
    [ "$output" = "inhead	1
ml	1
mlops	2
paren	1
推論	1" ]
    [ "$stderr" = "" ]
    run -2 --separate-stderr "$MLS" tags extra
    [ "$stderr" = "mlsearch: tags: takes no arguments" ]
}
