# fish completion for smtpsend(1)
#
# Install as /usr/share/fish/vendor_completions.d/smtpsend.fish (or
# ~/.config/fish/completions/smtpsend.fish).  Where smtpsend is also
# installed as sendmail and mailq, link the file as sendmail.fish and
# mailq.fish in the same directory: for those names it completes only when
# the command found in PATH is smtpsend (a link to it).
#
# Completes every option, the words of the options that take words, the
# account names of the configuration files (the one given with -C, or the
# user's and the system file), and the queue ids of --queue-show,
# --queue-remove, --queue-hold, --queue-release, --queue-flush and -qI
# (asked of smtpsend itself with --queue-list, with the -C, -a and
# --queue-dir of the line).

# __smtpsend_command - the path of the smtpsend being completed.
function __smtpsend_command
    set -l c (commandline -opc)[1]
    if string match -q -- '*/*' $c
        echo $c
    else
        command -s -- $c
    end
end

# __smtpsend_config_arg - the file of -C, --config or --file on the line.
function __smtpsend_config_arg
    set -l t (commandline -opc)
    for i in (seq 2 (count $t))
        switch $t[$i]
            case -C --config --file
                set -l n (math $i + 1)
                set -q t[$n]; and echo $t[$n]
                return
            case '--config=*' '--file=*'
                string replace -r '^[^=]*=' '' -- $t[$i]
                return
            case '-C?*'
                string sub -s 3 -- $t[$i]
                return
        end
    end
end

# __smtpsend_files - the configuration files smtpsend reads: the one of
# -C, or the system file (PREFIX/etc/smtpsendrc for PREFIX/bin/smtpsend,
# and /etc/smtpsendrc) and the user's first file.
function __smtpsend_files
    set -l c (__smtpsend_config_arg)
    if test -n "$c"
        string replace -r '^~' -- $HOME $c
        return
    end
    set -l cmd (__smtpsend_command)
    if string match -q -- '*/bin/*' $cmd
        echo (string replace -r '/bin/[^/]*$' '' -- $cmd)/etc/smtpsendrc
    end
    echo /etc/smtpsendrc
    if string match -q -- '/*' "$XDG_CONFIG_HOME"
        and test -f $XDG_CONFIG_HOME/smtpsend/config
        echo $XDG_CONFIG_HOME/smtpsend/config
    else if not string match -q -- '/*' "$XDG_CONFIG_HOME"
        and test -f $HOME/.config/smtpsend/config
        echo $HOME/.config/smtpsend/config
    else
        echo $HOME/.smtpsendrc
    end
end

function __smtpsend_accounts
    set -l files
    for f in (__smtpsend_files)
        test -f $f -a -r $f; and set -a files $f
    end
    test (count $files) -gt 0; or return
    awk '$1 == "account" { n = $2; sub(/:.*/, "", n)
                           if (n != "") print n }' $files 2>/dev/null
end

function __smtpsend_queue_ids
    set -l t (commandline -opc)
    set -l args
    for i in (seq 2 (count $t))
        switch $t[$i]
            case -C -a --config --file --account --queue-dir
                set -l n (math $i + 1)
                set -q t[$n]; and set -a args $t[$i] $t[$n]
            case '-C?*' '-a?*' '--config=*' '--file=*' '--account=*' \
                '--queue-dir=*'
                set -a args $t[$i]
        end
    end
    set -l cmd (__smtpsend_command)
    test -n "$cmd"; or return
    LC_ALL=C $cmd $args --queue-list </dev/null 2>/dev/null |
        awk '/^[0-9]+\.[0-9]+\.[0-9a-f]+ / { print $1 }'
end

# Under the names sendmail and mailq: only when they are smtpsend.
for name in sendmail mailq
    set -l p (command -s -- $name)
    and string match -q -- '*/smtpsend' (realpath -- $p 2>/dev/null)
    and complete -c $name -w smtpsend
end

set -l onoff 'on off'
# -x: a value follows (after "=" or as the next word); -a without -x or
# -r: a value only after "="; neither: no value.
complete -c smtpsend -s a -l account -x -a '(__smtpsend_accounts)' -d 'Use this account'
complete -c smtpsend -l add-missing-date-header -f -a "$onoff" -d 'msmtp: set_date_header'
complete -c smtpsend -l add-missing-from-header -f -a "$onoff" -d 'msmtp: set_from_header'
complete -c smtpsend -l aliases -r -F -d 'Aliases file'
complete -c smtpsend -l auth -f -a 'off on scram-sha-256-plus scram-sha-256 scram-sha-1-plus scram-sha-1 plain login cram-md5 external gssapi oauthbearer xoauth2' -d 'Authenticate'
complete -c smtpsend -l auto-from -f -a "$onoff" -d 'msmtp: from %U'
complete -c smtpsend -l color -x -a 'auto always never' -d 'Colours in the transcript'
complete -c smtpsend -s C -l config -l file -r -F -d 'Configuration file'
complete -c smtpsend -l configure -x -d 'Print an account for this address'
complete -c smtpsend -l connect-timeout -x -a off -d 'Network timeout (msmtp)'
complete -c smtpsend -l data -r -F -d 'Read the message from this file'
complete -c smtpsend -s v -s d -l verbose -l debug -d 'Print the SMTP dialogue'
complete -c smtpsend -l domain -x -d 'EHLO name'
complete -c smtpsend -l dry-run -d 'Print envelope and message, connect to nothing'
complete -c smtpsend -l dsn-notify -x -a 'never success failure delay' -d 'DSN notify'
complete -c smtpsend -l dsn-return -f -a 'off headers full hdrs' -d 'DSN return'
complete -c smtpsend -l fallback-hosts -x -d 'Servers to try when the host fails'
complete -c smtpsend -l force -d 'With --queue-flush: due or not'
complete -c smtpsend -s f -s r -l from -x -d 'Envelope sender'
complete -c smtpsend -l help -d 'Show the help and exit'
complete -c smtpsend -l host -x -a '(__fish_print_hostnames)' -d 'Use this host and command-line settings only'
complete -c smtpsend -s 4 -l ipv4 -d 'IPv4 addresses only'
complete -c smtpsend -s 6 -l ipv6 -d 'IPv6 addresses only'
complete -c smtpsend -l keepbcc -f -a "$onoff" -d 'msmtp: keep Bcc headers'
complete -c smtpsend -l logfile -s X -r -F -d 'Log file'
complete -c smtpsend -l logfile-time-format -x -d 'strftime format of the log'
complete -c smtpsend -l maildomain -x -d 'Domain of local names'
complete -c smtpsend -l no-queue -d 'Do not queue deferred recipients'
complete -c smtpsend -l oauth2-authorize -d 'Get the OAuth2 token of the account'
complete -c smtpsend -l oauth2-revoke -d 'Forget the stored OAuth2 token'
complete -c smtpsend -l passwordeval -x -a '(__fish_complete_command)' -d 'Command that prints the password'
complete -c smtpsend -l port -x -d 'Server port'
complete -c smtpsend -s P -l pretend -d 'Print the settings and exit'
complete -c smtpsend -l protocol -x -a 'smtp lmtp' -d 'Protocol'
complete -c smtpsend -l proxy-host -x -a '(__fish_print_hostnames)' -d 'SOCKS5 proxy'
complete -c smtpsend -l proxy-port -x -d 'SOCKS5 proxy port'
complete -c smtpsend -l queue -d 'Queue deferred recipients'
complete -c smtpsend -l queue-dir -x -a '(__fish_complete_directories)' -d 'Queue directory'
complete -c smtpsend -l queue-flush -f -a '(__smtpsend_queue_ids)' -d 'Try the due entries, or this one'
complete -c smtpsend -s q -d 'Try the due queued messages'
complete -c smtpsend -l queue-hold -x -a '(__smtpsend_queue_ids)' -d 'Put an entry on hold'
complete -c smtpsend -l queue-list -f -a 'text json' -d 'List the queue'
complete -c smtpsend -l queue-only -d 'Queue the message, send it at the next flush'
complete -c smtpsend -l queue-release -x -a '(__smtpsend_queue_ids)' -d 'Release a held entry'
complete -c smtpsend -l queue-remove -x -a '(__smtpsend_queue_ids) all' -d 'Remove an entry'
complete -c smtpsend -l queue-show -x -a '(__smtpsend_queue_ids)' -d 'Show an entry'
complete -c smtpsend -l quit-after -x -a 'connect tls ehlo auth mail rcpt' -d 'QUIT after this step'
complete -c smtpsend -l read-envelope-from -d 'Envelope sender from the From header'
complete -c smtpsend -s t -l read-recipients -d 'Recipients from To, Cc, Bcc'
complete -c smtpsend -l remove-bcc-headers -f -a "$onoff" -d 'Remove Bcc headers'
complete -c smtpsend -l report -f -a 'text json' -d 'Report every recipient'
complete -c smtpsend -l report-by-mail -d 'Mail a report on refused recipients'
complete -c smtpsend -l rmqs -x -d 'Ask the server to start its queue (ETRN)'
complete -c smtpsend -s S -l serverinfo -d 'Show the server\'s capabilities'
complete -c smtpsend -l set-date-header -f -a 'auto off on' -d 'Add a Date header'
complete -c smtpsend -l set-from-header -f -a 'auto on off' -d 'Add a From header'
complete -c smtpsend -l set-msgid-header -f -a 'auto off on' -d 'Add a Message-ID header'
complete -c smtpsend -l set-to-header -f -a 'off on undisclosed_recipients' -d 'Add a To header'
complete -c smtpsend -l socket -r -F -d 'Unix-domain socket'
complete -c smtpsend -l source-ip -x -d 'Local address to connect from'
complete -c smtpsend -l syslog -f -a 'on off LOG_USER LOG_MAIL LOG_LOCAL0 LOG_LOCAL1 LOG_LOCAL2 LOG_LOCAL3 LOG_LOCAL4 LOG_LOCAL5 LOG_LOCAL6 LOG_LOCAL7' -d 'Log to syslog'
complete -c smtpsend -l timeout -x -a off -d 'Network timeout'
complete -c smtpsend -l tls -f -a "$onoff" -d 'Use TLS'
complete -c smtpsend -l tls-cert-file -r -F -d 'Client certificate'
complete -c smtpsend -l tls-certcheck -f -a "$onoff" -d 'Verify the server certificate'
complete -c smtpsend -l tls-crl-file -r -F -d 'Certificate revocation list'
complete -c smtpsend -l tls-fingerprint -x -d 'Accept only this certificate (SHA-256)'
complete -c smtpsend -l tls-host-override -x -a '(__fish_print_hostnames)' -d 'Name to verify and send as SNI'
complete -c smtpsend -l tls-key-file -r -F -d 'Client key'
complete -c smtpsend -l tls-min-dh-prime-bits -x -d 'Smallest DH prime'
complete -c smtpsend -l tls-min-version -x -a 'tls1.2 tls1.3' -d 'Oldest TLS version'
complete -c smtpsend -l tls-nocertcheck -d 'msmtp: --tls-certcheck=off'
complete -c smtpsend -l tls-nostarttls -d 'msmtp: --tls-starttls=off'
complete -c smtpsend -l tls-priorities -x -d 'GnuTLS priority string'
complete -c smtpsend -l tls-starttls -f -a "$onoff" -d 'STARTTLS, or implicit TLS'
complete -c smtpsend -l tls-trust-file -r -F -a system -d 'Trusted CA certificates'
complete -c smtpsend -l transcript -r -F -d 'Write the dialogue to this file'
complete -c smtpsend -l transcript-body -d 'Show the message in the transcript'
complete -c smtpsend -l transcript-secrets -d 'Show passwords and tokens in the transcript'
complete -c smtpsend -l undisclosed-recipients -f -a "$onoff" -d 'msmtp: set_to_header'
complete -c smtpsend -l user -x -a '(__fish_complete_users)' -d 'User name'
complete -c smtpsend -l version -d 'Show the version and exit'
complete -c smtpsend -s F -x -d 'Full name for the From header'
complete -c smtpsend -s i -d 'A line with a single dot does not end the message'
complete -c smtpsend -s o -x -a 'i dq' -d 'sendmail option (-oi, -odq)'
complete -c smtpsend -s N -x -a 'never success failure delay' -d 'DSN notify'
complete -c smtpsend -s R -x -a 'full hdrs' -d 'DSN return'
complete -c smtpsend -s V -x -d 'DSN envelope id'
complete -c smtpsend -s B -x -a '7BIT 8BITMIME' -d 'Body type (ignored)'
complete -c smtpsend -s b -x -a 'p s m i' -d 'sendmail mode: -bp -bs -bm -bi'
complete -c smtpsend -s I -d 'newaliases (nothing)'
# sendmail -qIID: the entry ID only
complete -c smtpsend -n 'string match -q -- "-qI*" (commandline -ct)' -f -a '(__smtpsend_queue_ids | string replace -r "^" -- -qI)' -d 'Try this queue entry'
