# SPDX-License-Identifier: GPL-2.0-or-later
# Bash completion for enoscope: commands, each command's options, the values
# the options accept, and capture files for `enoscope check` and `compare`.  Uses only
# bash's own compgen, so it works with or without the bash-completion package.

_enoscope()
{
    local cur=${COMP_WORDS[COMP_CWORD]}
    local prev=""
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    COMPREPLY=()

    if ((COMP_CWORD == 1)); then
        mapfile -t COMPREPLY < <(compgen -W "check rules merge compare help --help --version" -- "$cur")
        return
    fi

    case $prev in
    --format)
        local formats="text json"
        [[ ${COMP_WORDS[1]} == check ]] && formats="text json junit"
        mapfile -t COMPREPLY < <(compgen -W "$formats" -- "$cur"); return ;;
    --fail-on) mapfile -t COMPREPLY < <(compgen -W "note warning error none" -- "$cur"); return ;;
    --color) mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur"); return ;;
    --connections) mapfile -t COMPREPLY < <(compgen -W "all eno findings" -- "$cur"); return ;;
    --select | --ignore | --severity)
        # Rule ids and areas, from the catalog itself.
        local ids
        ids=$("${COMP_WORDS[0]}" rules 2>/dev/null | awk '{print $1; split($1, p, "."); print p[1]}' | sort -u)
        mapfile -t COMPREPLY < <(compgen -W "$ids" -- "$cur"); return ;;
    -o | --output | --config) compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
    # Free-form values: offer nothing rather than file names.
    -f | --filter | --max-connections | --idle-timeout | -c | --count | -j | --jobs) return ;;
    --max-segments) return ;;
    esac

    local opts
    case ${COMP_WORDS[1]} in
    check) opts="--format --connections --quiet -q --fail-on --select --ignore --severity
                 --config --no-config --output -o --filter -f --interface -i --count -c --jobs -j
                 --max-connections --idle-timeout --color --no-progress --help -h" ;;
    rules) opts="--format --long -l --color --help -h" ;;
    merge) opts="--format --fail-on --help -h" ;;
    compare) opts="--format --max-connections --max-segments --help -h" ;;
    *) return ;;
    esac

    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
    elif [[ ${COMP_WORDS[1]} == rules ]]; then
        local ids
        ids=$("${COMP_WORDS[0]}" rules 2>/dev/null | awk '{print $1}')
        mapfile -t COMPREPLY < <(compgen -W "$ids" -- "$cur")
    elif [[ ${COMP_WORDS[1]} == merge ]]; then
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    elif [[ ${COMP_WORDS[1]} == check || ${COMP_WORDS[1]} == compare ]]; then
        # Captures and the folders that may hold them.
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -d -- "$cur"
                                 compgen -f -X '!*.pcap' -- "$cur"
                                 compgen -f -X '!*.pcapng' -- "$cur"
                                 compgen -f -X '!*.cap' -- "$cur")
    fi
}
complete -F _enoscope enoscope
