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
        mapfile -t COMPREPLY < <(compgen -W "check rules compare help --help --version" -- "$cur")
        return
    fi

    case $prev in
    --format) mapfile -t COMPREPLY < <(compgen -W "text json" -- "$cur"); return ;;
    --fail-on) mapfile -t COMPREPLY < <(compgen -W "note warning error none" -- "$cur"); return ;;
    --color) mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur"); return ;;
    # Free-form values: offer nothing rather than file names.
    -f | --filter | --max-connections | --idle-timeout) return ;;
    --max-segments) return ;;
    esac

    local opts
    case ${COMP_WORDS[1]} in
    check) opts="--format --fail-on --filter -f --max-connections --idle-timeout --color
                 --no-progress --help -h" ;;
    rules) opts="--format --long -l --color --help -h" ;;
    compare) opts="--format --max-connections --max-segments --help -h" ;;
    *) return ;;
    esac

    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
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
