# bash completion for vjctl(1): subcommands, options, their values, and service names.
#
# Service and instance names come from `vjctl status --names` (one per line), run with the
# same --socket and -c options as the line being completed and bounded by timeout(1), so a
# missing or stuck daemon only means no name suggestions. Source this file, or install it
# as /usr/share/bash-completion/completions/vjctl.

_vjctl_commands="status start stop restart signal wait health tail shutdown check"
_vjctl_global_options="--socket -c --config --json --no-color --timeout --version --help"
_vjctl_states="stopped starting running stopping exited backoff failed"
_vjctl_healths="unknown healthy degraded unhealthy"
_vjctl_signals="HUP INT QUIT KILL USR1 USR2 TERM CONT STOP TSTP ALRM WINCH"

# Sets COMPREPLY to the words of $1 that start with $cur. A word holding ':' (web:0) is split
# by readline at the colon when COMP_WORDBREAKS has one, so only the part after it is offered.
_vjctl_offer() {
    local IFS=$' \t\n'
    COMPREPLY=($(compgen -W "$1" -- "$cur"))
    if [[ $cur == *:* && $COMP_WORDBREAKS == *:* ]]; then
        local prefix=${cur%"${cur##*:}"}
        local i
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[i]=${COMPREPLY[i]#"$prefix"}
        done
    fi
}

_vjctl_files() {
    compopt -o filenames 2>/dev/null
    local IFS=$'\n'
    COMPREPLY=($(compgen -f -- "$cur"))
}

# Service and instance names from the daemon (see the comment at the top).
_vjctl_names() {
    local -a cmd=(vjctl "${connect[@]}" status --names)
    if type -P timeout >/dev/null; then
        cmd=(timeout 2 "${cmd[@]}")
    fi
    "${cmd[@]}" 2>/dev/null
}

_vjctl() {
    # Split the line on blanks only, so that "web:0" stays one word whatever COMP_WORDBREAKS is.
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words
    read -ra words <<<"$line"
    [[ -z $line || $line =~ [[:space:]]$ ]] && words+=("")
    local cur=${words[${#words[@]} - 1]}
    local prev=""
    ((${#words[@]} > 1)) && prev=${words[${#words[@]} - 2]}

    # Find the subcommand, the global options that say which daemon, and the count of
    # positional arguments after the subcommand.
    local command="" positionals=0 i word
    local -a connect=()
    for ((i = 1; i < ${#words[@]} - 1; i++)); do
        word=${words[i]}
        case $word in
            --socket | -c | --config)
                connect+=("$word" "${words[i + 1]}")
                ((i++))
                ;;
            --socket=* | --config=*) connect+=("$word") ;;
            --timeout | --state | --health | -n | --lines) ((i++)) ;;
            -*) ;;
            *)
                if [[ -z $command ]]; then
                    command=$word
                else
                    ((positionals++))
                fi
                ;;
        esac
    done

    case $prev in
        --socket | -c | --config)
            _vjctl_files
            return
            ;;
        --timeout)
            _vjctl_offer "500ms 5s 10s 30s 1m 5m"
            return
            ;;
        --state)
            _vjctl_offer "$_vjctl_states"
            return
            ;;
        --health)
            _vjctl_offer "$_vjctl_healths"
            return
            ;;
        -n | --lines)
            [[ $command == tail ]] && _vjctl_offer "10 100 1000"
            return
            ;;
    esac

    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            _vjctl_offer "$_vjctl_global_options"
        else
            _vjctl_offer "$_vjctl_commands"
        fi
        return
    fi

    local options="--json --no-color --timeout --help"
    case $command in
        status)
            [[ $cur == -* ]] && _vjctl_offer "--names $options" || _vjctl_offer "$(_vjctl_names)"
            ;;
        start | stop | restart)
            [[ $cur == -* ]] && _vjctl_offer "--no-wait $options" || _vjctl_offer "all $(_vjctl_names)"
            ;;
        signal)
            if [[ $cur == -* ]]; then
                _vjctl_offer "$options"
            elif ((positionals == 0)); then
                _vjctl_offer "$_vjctl_signals"
            else
                _vjctl_offer "$(_vjctl_names)"
            fi
            ;;
        wait)
            [[ $cur == -* ]] && _vjctl_offer "--state --health $options" || _vjctl_offer "$(_vjctl_names)"
            ;;
        health)
            [[ $cur == -* ]] && _vjctl_offer "$options" || _vjctl_offer "all $(_vjctl_names)"
            ;;
        tail)
            [[ $cur == -* ]] && _vjctl_offer "-f --follow -n --lines --stderr $options" || _vjctl_offer "$(_vjctl_names)"
            ;;
        check)
            [[ $cur == -* ]] && _vjctl_offer "-c --config --help" || _vjctl_files
            ;;
        shutdown)
            [[ $cur == -* ]] && _vjctl_offer "$options"
            ;;
    esac
}

complete -F _vjctl vjctl
