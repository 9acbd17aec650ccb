# tests/system/lib.sh - shared code of the system mode tests.
#
# Sourced by every tests/system/*.sh script, after which the script runs
# as root in a private mount namespace of its own (the script is started
# again under "unshare -m"), where the directories smtpsend was built for
# - $(sysconfdir), $(localstatedir)/spool/smtpsend, $(pkglibexecdir) -
# are empty tmpfs mounts (over the nearest directory that exists), filled
# as contrib/smtpsend-system-setup.sh would fill them:
#
#   $SYS_CONF              the system file, root:smtpsend 0640
#   $SYS_SPOOL             smtpsend:smtpsend-drop 0710
#   $SYS_SPOOL/incoming    smtpsend:smtpsend-drop 1730
#   $SYS_SPOOL/drop        smtpsend:smtpsend-drop 1730
#   $SYS_SPOOL/queue       smtpsend 0700 (made by the first flush)
#   $SYS_HELPER            root:smtpsend-drop 2755, a copy of the helper
#
# The system user "smtpsend" and the groups are numbers no account of the
# machine uses ($SYS_UID, $SYS_GID, $DROP_GID): nothing is added to
# /etc/passwd or /etc/group.  Local users are the machine's own nobody and
# www-data.  When the namespace ends, everything is gone; nothing outside
# $T (removed by tests/queue/lib.sh) is changed.  Skipped (77) when not
# root, and when the built-for directories have no ancestor that can be
# hidden safely (a staged build such as distcheck's).
#
# Environment (set by tests/Makefile.am): SMTPSEND, SMTPMOCK,
# SMTPSEND_SYSCONFDIR, SMTPSEND_LOCALSTATEDIR, SMTPSEND_PKGLIBEXECDIR,
# SMTPSEND_DROP (the helper as built).

if [ "$(id -u)" -ne 0 ]; then
	echo "${0##*/}: SKIP: needs root (other users, a setgid helper)" >&2
	exit 77
fi
if [ -z "${SYS_IN_NS-}" ]; then
	command -v unshare >/dev/null 2>&1 || {
		echo "${0##*/}: ERROR: unshare(1) is missing" >&2; exit 99; }
	SYS_IN_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi

. "$(dirname "$0")/../queue/lib.sh"

command -v setpriv >/dev/null 2>&1 || q_error "setpriv(1) is missing"
[ -x "${SMTPSEND_DROP-}" ] || q_error "SMTPSEND_DROP is not set"
grep -q '^NoNewPrivs:[[:space:]]*1' /proc/self/status \
	&& q_skip "no_new_privs is set: a setgid helper cannot work here"

SYS_CONF=${SMTPSEND_SYSCONFDIR:?}/smtpsendrc
SYS_SPOOL=${SMTPSEND_LOCALSTATEDIR:?}/spool/smtpsend
SYS_HELPER=${SMTPSEND_PKGLIBEXECDIR:?}/smtpsend-drop
NOBODY=65534
WWW=$(id -u www-data 2>/dev/null) || q_skip "there is no user www-data"

# sys_free_id - a number used by no user and no group, from 64000 up.
sys_free_id() {
	sys_i=${1:-64000}
	while getent passwd "$sys_i" >/dev/null \
	    || getent group "$sys_i" >/dev/null; do
		sys_i=$((sys_i + 1))
	done
	echo "$sys_i"
}
SYS_UID=$(sys_free_id 64000)
SYS_GID=$SYS_UID
DROP_GID=$(sys_free_id $((SYS_UID + 1)))

# sys_hide DIR - an empty tmpfs over DIR or its nearest existing
# ancestor, unless that holds the test's own files or the system's.
sys_mounted=
sys_hide() {
	sys_a=$1
	while [ ! -d "$sys_a" ]; do sys_a=$(dirname "$sys_a"); done
	case " $sys_mounted " in *" $sys_a "*) return 0 ;; esac
	case $sys_a in
	/|/usr|/etc|/var|/bin|/sbin|/lib|/lib64|/proc|/dev|/sys|/tmp|/run|\
	/home|/root)
		q_skip "$1 would hide $sys_a (a staged build?)" ;;
	esac
	for sys_keep in "$T" "$sys_build" "$sys_src"; do
		case $sys_keep/ in "$sys_a"/*)
			q_skip "$1 would hide $sys_a, which holds $sys_keep" ;;
		esac
	done
	mount -t tmpfs -o mode=0755 smtpsend-test "$sys_a" \
		|| q_error "cannot mount a tmpfs on $sys_a"
	sys_mounted="$sys_mounted $sys_a"
}

# The programs, where every user can run them (and where no mount
# hides them).
sys_build=$(cd "$(dirname "$SMTPSEND")/.." && pwd)
sys_src=$(cd "$q_srcdir/.." && pwd)
chmod 755 "$T"
mkdir -p "$T/bin"
cp "$SMTPSEND" "$T/bin/smtpsend" && ln -s smtpsend "$T/bin/sendmail" \
	&& cp "$SMTPMOCK" "$T/bin/smtpmock" \
	&& cp "$SMTPSEND_DROP" "$T/bin/smtpsend-drop" || q_error "cannot copy"
SMTPSEND=$T/bin/smtpsend
SMTPMOCK=$T/bin/smtpmock
SENDMAIL=$T/bin/sendmail
chmod 755 "$T/bin" "$SMTPSEND" "$SMTPMOCK"

for sys_d in "${SYS_CONF%/*}" "$SYS_SPOOL" "${SYS_HELPER%/*}"; do
	sys_hide "$sys_d"
done
mkdir -p "${SYS_CONF%/*}" "$SYS_SPOOL" "${SYS_HELPER%/*}" \
	|| q_error "cannot make the system directories"

# The layout of contrib/smtpsend-system-setup.sh.
cp "$T/bin/smtpsend-drop" "$SYS_HELPER" && chown "0:$DROP_GID" "$SYS_HELPER" \
	&& chmod 2755 "$SYS_HELPER" || q_error "cannot install the helper"
mkdir "$SYS_SPOOL/incoming" "$SYS_SPOOL/drop" || q_error "mkdir"
chown "$SYS_UID:$DROP_GID" "$SYS_SPOOL" "$SYS_SPOOL/incoming" \
	"$SYS_SPOOL/drop"
chmod 0710 "$SYS_SPOOL"
chmod 1730 "$SYS_SPOOL/incoming" "$SYS_SPOOL/drop"

# sys_config PORT [EXTRA] - the system file: one account through the
# mock on PORT, with a password nobody but root and smtpsend may read.
sys_config() {
	{
		printf 'defaults\ntls off\ndomain client.test\n'
		printf 'account default\nhost 127.0.0.1\nport %s\n' "$1"
		printf 'from %%U@example.org\n'
		printf 'user relayuser\npassword Sys-Secret-4711\nauth off\n'
		[ -n "${2-}" ] && printf '%s\n' "$2"
	} >"$SYS_CONF"
	chown "0:$SYS_GID" "$SYS_CONF" && chmod 0640 "$SYS_CONF"
}

# sys_as UID CMD... - CMD as UID (its own group, no other), in an empty
# environment but for PATH: as a daemon or PHP-FPM would run it.
sys_as() {
	sys_u=$1
	shift
	setpriv --reuid="$sys_u" --regid="$sys_u" --clear-groups \
		env -i PATH=/usr/bin:/bin "$@"
}

# sys_flush [ARGS] - the system user's "smtpsend --queue-flush ARGS",
# as the systemd service runs it.
sys_flush() {
	setpriv --reuid="$SYS_UID" --regid="$SYS_GID" --clear-groups \
		env -i PATH=/usr/bin:/bin "$SMTPSEND" --queue-flush "$@"
}

# sys_drops - the number of files in drop/.
sys_drops() { find "$SYS_SPOOL/drop" -mindepth 1 | wc -l | tr -d ' '; }

# sys_data RECORD - the message bytes of the first DATA of a record, as
# received (CRLF line ends, without the final dot line).
sys_data() {
	awk '
	BEGIN { RS = "\n"; ORS = "\n" }
	indata && ($0 == ".\r" || $0 == ".") { exit }
	indata { print; next }
	toupper($0) ~ /^DATA\r?$/ { indata = 1 }
	' "$1"
}

SYSQ=$SYS_SPOOL/queue
