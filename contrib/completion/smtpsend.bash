# bash completion for smtpsend(1)                        -*- shell-script -*-
#
# Install as /usr/share/bash-completion/completions/smtpsend (or
# ~/.local/share/bash-completion/completions/smtpsend); bash-completion
# loads it the first time smtpsend is completed.  Where smtpsend is also
# installed as sendmail and mailq, link the file under those names in the
# same directory: for them it completes only when the command found in
# PATH is smtpsend (a link to it), and leaves other programs of that name
# to bash's default completion.
#
# Completes every option, the words of the options that take words
# (--tls=on|off, --color=, --quit-after=, --auth=, ...), the account names
# of the configuration files (the one given with -C, or the user's and the
# system file), and the queue ids of --queue-show, --queue-remove,
# --queue-hold, --queue-release, --queue-flush and -qI (asked of smtpsend
# itself with --queue-list, with the -C, -a and --queue-dir of the line).

# Every long option: "--name=" for one that needs a value, both "--name"
# and "--name=" for one whose value is optional (given only after "=").
# (--password is left out: smtpsend refuses it, the password does not go
# on a command line.)
_smtpsend_long_opts='
--account= --add-missing-date-header --add-missing-date-header=
--add-missing-from-header --add-missing-from-header= --aliases= --auth
--auth= --auto-from --auto-from= --color= --config= --configure=
--connect-timeout= --data= --debug --domain= --dry-run --dsn-notify=
--dsn-return --dsn-return= --fallback-hosts= --file= --force --from= --help
--host= --ipv4 --ipv6 --keepbcc --keepbcc= --logfile-time-format= --logfile=
--maildomain= --no-queue --oauth2-authorize --oauth2-revoke --passwordeval=
--port= --pretend --protocol= --proxy-host= --proxy-port= --queue
--queue-dir= --queue-flush --queue-flush= --queue-hold= --queue-list
--queue-list= --queue-only --queue-release= --queue-remove= --queue-show=
--quit-after= --read-envelope-from --read-recipients --remove-bcc-headers
--remove-bcc-headers= --report-by-mail --report --report= --rmqs=
--serverinfo --set-date-header --set-date-header= --set-from-header
--set-from-header= --set-msgid-header --set-msgid-header= --set-to-header
--set-to-header= --socket= --source-ip= --syslog --syslog= --timeout=
--tls-cert-file= --tls-certcheck --tls-certcheck= --tls-crl-file=
--tls-fingerprint= --tls-host-override= --tls-key-file=
--tls-min-dh-prime-bits= --tls-min-version= --tls-nocertcheck
--tls-nostarttls --tls-priorities= --tls-starttls --tls-starttls=
--tls-trust-file= --tls --tls= --transcript-body --transcript-secrets
--transcript= --undisclosed-recipients --undisclosed-recipients= --user=
--verbose --version'

# The short options (sendmail's and msmtp's) that mean something.
_smtpsend_short_opts='-C -a -f -r -F -t -i -oi -odq -N -R -V -B -v -d -X -S
-P -q -qI -bp -bs -bm -bi -I -4 -6'

# _smtpsend_words OPTION - the words OPTION (without "--") takes.
_smtpsend_words()
{
    case $1 in
        tls | tls-starttls | tls-certcheck | remove-bcc-headers | keepbcc | \
            add-missing-date-header | add-missing-from-header | auto-from | \
            undisclosed-recipients)
            echo 'on off' ;;
        auth)
            echo 'off on scram-sha-256-plus scram-sha-256 scram-sha-1-plus' \
                'scram-sha-1 plain login cram-md5 external gssapi' \
                'oauthbearer xoauth2' ;;
        color) echo 'auto always never' ;;
        quit-after) echo 'connect tls ehlo auth mail rcpt' ;;
        report | queue-list) echo 'text json' ;;
        dsn-return) echo 'off headers full hdrs' ;;
        dsn-notify) echo 'never success failure delay' ;;
        protocol) echo 'smtp lmtp' ;;
        set-from-header) echo 'auto on off' ;;
        set-date-header | set-msgid-header) echo 'auto off on' ;;
        set-to-header) echo 'off on undisclosed_recipients' ;;
        syslog)
            echo 'on off LOG_USER LOG_MAIL LOG_LOCAL0 LOG_LOCAL1 LOG_LOCAL2' \
                'LOG_LOCAL3 LOG_LOCAL4 LOG_LOCAL5 LOG_LOCAL6 LOG_LOCAL7' ;;
        tls-min-version) echo 'tls1.2 tls1.3' ;;
        timeout | connect-timeout) echo 'off' ;;
    esac
}

# _smtpsend_command - the path of the smtpsend being completed.
_smtpsend_command()
{
    case ${words[0]} in
        */*) printf '%s\n' "${words[0]}" ;;
        *) type -P -- "${words[0]}" ;;
    esac
}

# _smtpsend_is_smtpsend - whether the command being completed is smtpsend
# (under its own name, or a link to it).
_smtpsend_is_smtpsend()
{
    local cmd
    [[ ${words[0]##*/} == smtpsend ]] && return 0
    cmd=$(_smtpsend_command) || return 1
    [[ -n $cmd ]] || return 1
    cmd=$(readlink -f -- "$cmd" 2>/dev/null) || return 1
    [[ ${cmd##*/} == smtpsend ]]
}

# _smtpsend_config_arg - the configuration file of -C, --config or --file
# on the line, if any.
_smtpsend_config_arg()
{
    local i w
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            -C | --config | --file)
                printf '%s\n' "${words[i + 1]}"; return ;;
            -C?*) printf '%s\n' "${w#-C}"; return ;;
            --config=* | --file=*) printf '%s\n' "${w#*=}"; return ;;
        esac
    done
}

# _smtpsend_files - the configuration files smtpsend reads: the one of -C,
# or the system file (PREFIX/etc/smtpsendrc for PREFIX/bin/smtpsend, and
# /etc/smtpsendrc) and the user's first file.
_smtpsend_files()
{
    local c cmd
    c=$(_smtpsend_config_arg)
    if [[ -n $c ]]; then
        printf '%s\n' "${c/#\~/$HOME}"
        return
    fi
    cmd=$(_smtpsend_command)
    if [[ $cmd == */bin/* ]]; then
        printf '%s\n' "${cmd%/bin/*}/etc/smtpsendrc"
    fi
    echo /etc/smtpsendrc
    if [[ $XDG_CONFIG_HOME == /* && -f $XDG_CONFIG_HOME/smtpsend/config ]]
    then
        printf '%s\n' "$XDG_CONFIG_HOME/smtpsend/config"
    elif [[ $XDG_CONFIG_HOME != /* && -f $HOME/.config/smtpsend/config ]]
    then
        printf '%s\n' "$HOME/.config/smtpsend/config"
    else
        printf '%s\n' "$HOME/.smtpsendrc"
    fi
}

# _smtpsend_accounts - the account names of the configuration files.
_smtpsend_accounts()
{
    local f files=()
    while IFS= read -r f; do
        [[ -r $f && -f $f ]] && files+=("$f")
    done < <(_smtpsend_files)
    ((${#files[@]})) || return
    awk '$1 == "account" { n = $2; sub(/:.*/, "", n)
                           if (n != "") print n }' "${files[@]}" 2>/dev/null
}

# _smtpsend_queue_ids - the ids of the queue the line selects.
_smtpsend_queue_ids()
{
    local i w cmd args=()
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            -C | -a | --config | --file | --account | --queue-dir)
                args+=("$w" "${words[i + 1]}") ;;
            -C?* | -a?* | --config=* | --file=* | --account=* | \
                --queue-dir=*)
                args+=("$w") ;;
        esac
    done
    cmd=$(_smtpsend_command)
    [[ -n $cmd ]] || return
    LC_ALL=C "$cmd" "${args[@]}" --queue-list </dev/null 2>/dev/null |
        awk '/^[0-9]+\.[0-9]+\.[0-9a-f]+ / { print $1 }'
}

# _smtpsend_value OPTION CUR - set COMPREPLY to the values of OPTION (a
# long option without "--", or a short one with its "-") matching CUR;
# returns 1 for an option that takes no value.
_smtpsend_value()
{
    local opt=$1 cur=$2 w
    case $opt in
        -C | config | file | data | transcript | tls-crl-file | \
            tls-cert-file | tls-key-file | aliases | logfile | -X | socket)
            _filedir ;;
        tls-trust-file)
            _filedir
            COMPREPLY+=($(compgen -W 'system' -- "$cur")) ;;
        queue-dir) _filedir -d ;;
        -a | account)
            COMPREPLY=($(compgen -W "$(_smtpsend_accounts)" -- "$cur")) ;;
        queue-show | queue-hold | queue-release | queue-flush)
            COMPREPLY=($(compgen -W "$(_smtpsend_queue_ids)" -- "$cur")) ;;
        queue-remove)
            COMPREPLY=($(compgen -W "$(_smtpsend_queue_ids) all" \
                -- "$cur")) ;;
        host | proxy-host | tls-host-override) _known_hosts_real -- "$cur" ;;
        passwordeval) COMPREPLY=($(compgen -c -- "$cur")) ;;
        -R) COMPREPLY=($(compgen -W 'full hdrs' -- "$cur")) ;;
        -N) COMPREPLY=($(compgen -W 'never success failure delay' \
            -- "$cur")) ;;
        -f | -r | -F | -V | -B | from | configure | rmqs | port | \
            proxy-port | domain | source-ip | user | maildomain | \
            fallback-hosts | logfile-time-format | tls-fingerprint | \
            tls-priorities | tls-min-dh-prime-bits | timeout | \
            connect-timeout | dsn-notify)
            w=$(_smtpsend_words "$opt")
            [[ -n $w ]] && COMPREPLY=($(compgen -W "$w" -- "$cur")) ;;
        *)
            w=$(_smtpsend_words "$opt")
            [[ -n $w ]] || return 1
            COMPREPLY=($(compgen -W "$w" -- "$cur")) ;;
    esac
    return 0
}

_smtpsend()
{
    local cur prev words cword split
    _init_completion -s || return

    if ! _smtpsend_is_smtpsend; then
        _filedir
        return
    fi

    # the value of "--opt=value" (split by _init_completion -s) or of an
    # option that takes one in the next word
    if [[ $split == true ]]; then
        _smtpsend_value "${prev#--}" "$cur"
        return
    fi
    case $prev in
        -C | -a | -f | -r | -F | -N | -R | -V | -B | -X)
            _smtpsend_value "$prev" "$cur"; return ;;
        --*)
            # only an option whose value is required takes the next word
            if [[ " $_smtpsend_long_opts " == *[[:space:]]"$prev="[[:space:]]* &&
                " $_smtpsend_long_opts " != *[[:space:]]"$prev"[[:space:]]* ]]
            then
                _smtpsend_value "${prev#--}" "$cur" && return
            fi ;;
    esac

    case $cur in
        -qI*)
            COMPREPLY=($(compgen -P -qI -W "$(_smtpsend_queue_ids)" \
                -- "${cur#-qI}")) ;;
        --*)
            COMPREPLY=($(compgen -W "$_smtpsend_long_opts" -- "$cur"))
            [[ ${COMPREPLY-} == *= ]] && compopt -o nospace ;;
        -*)
            COMPREPLY=($(compgen -W "$_smtpsend_short_opts" -- "$cur")) ;;
        *)
            # recipients: the aliases file is the user's; nothing to offer
            ;;
    esac
} &&
    complete -F _smtpsend smtpsend sendmail mailq

# ex: filetype=sh
