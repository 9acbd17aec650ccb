#!/usr/bin/perl
# codelists.pl - what the source code says the command line and the
# configuration file accept, for the tests of contrib/ (completion, vim
# syntax), so that neither can drift from the program.
#
#   perl codelists.pl SRCDIR options     every long option, one a line:
#                                        NAME, NAME= (a value required) or
#                                        NAME[=] (a value optional)
#   perl codelists.pl SRCDIR shorts      the short options that mean
#                                        something, one letter a line
#   perl codelists.pl SRCDIR directives  every directive of the file
#   perl codelists.pl SRCDIR words       every word a directive takes
#                                        (on, off, the choices' words)
#   perl codelists.pl SRCDIR choices     "OPTION WORD..." for every long
#                                        option that takes words, sorted
#                                        (in lower case where case does
#                                        not matter)
#
# It reads src/cli.c, src/account.c and src/conf.c (the option and field
# tables) and dies when a table is not found where it is expected.
use strict;
use warnings;

my ($src, $what) = @ARGV;
die "usage: codelists.pl SRCDIR WHAT\n" unless defined $what;

sub slurp {
	my ($f) = @_;
	open(my $fh, '<', "$src/$f") or die "codelists.pl: $src/$f: $!\n";
	local $/;
	my $t = <$fh>;
	close $fh;
	return $t;
}

# block TEXT START END - the text from START (a regex) to END.
sub block {
	my ($t, $start, $end, $name) = @_;
	$t =~ /$start(.*?)$end/s or die "codelists.pl: no $name table\n";
	return $1;
}

my $cli = slurp('cli.c');
my $acc = slurp('account.c');
my $conf = slurp('conf.c');

my $fixed = block($cli, qr/fixed_opts\[\] = \{/, qr/\n\};/, 'fixed_opts');
my $modes = block($cli, qr/\} modes\[\] = \{/, qr/\n\};/, 'modes');
my $fields = block($acc, qr/fields\[ACC_NFIELDS\] = \{/, qr/#undef C/,
	'fields');
my $aliases = block($acc, qr/\} aliases\[\] = \{/, qr/\n\};/, 'aliases');
my $dirs = block($conf, qr/\} directives\[\] = \{/, qr/\n\};/, 'directives');

# The rows of the fields table: [directive, option or undef, type,
# choices or undef].  A row written out in full is not a directive.
my @rows;
while ($fields =~ /\b([FNC])\(\s*ACC_\w+,\s*"(\w+)",\s*(?:"([\w-]+)"|NULL),
		\s*(\w+)/gsx) {
	my ($k, $name, $opt, $third) = ($1, $2, $3, $4);
	my ($type, $ch) = $k eq 'C' ? ('ST_CHOICE', undef) : ($third, undef);
	if ($k eq 'C') {
		my $rest = substr($fields, pos($fields));
		$rest =~ /^,\s*(\w+)\)/ or die "codelists.pl: C row $name\n";
		$ch = $1;
	}
	push @rows, [$name, $opt, $type, $ch];
}
die "codelists.pl: too few fields\n" if @rows < 40;
my @alias_names = $aliases =~ /\{\s*"(\w+)",\s*ACC_/g;
die "codelists.pl: no aliases\n" unless @alias_names;

sub words_of {
	my ($choices) = @_;
	$acc =~ /struct setting_choices $choices = \{\s*(\w+)/
		or die "codelists.pl: no choices $choices\n";
	my $w = block($acc, qr/struct setting_word $1\[\] = \{/, qr/\n\};/,
		$1);
	# a word matched without regard to case is offered in lower case
	my %seen;
	my @w;
	while ($w =~ /\{\s*"([^"]*)",\s*\w+,\s*(true|false)\s*\}/g) {
		push @w, $2 eq 'true' ? lc $1 : $1;
	}
	return sort grep { $_ ne '' && !$seen{$_}++ } @w;
}

# has_empty CHOICES - whether the choice setting takes no word at all.
sub has_empty {
	my ($choices) = @_;
	$acc =~ /struct setting_choices $choices = \{\s*(\w+)/
		or die "codelists.pl: no choices $choices\n";
	my $w = block($acc, qr/struct setting_word $1\[\] = \{/, qr/\n\};/,
		$1);
	return $w =~ /\{\s*"",/;
}

# The words of the options of cli.c that check their own values.
sub cli_words {
	my ($fn) = @_;
	my $b = block($cli, qr/\n$fn\(struct cli/, qr/\n\}\n/, $fn);
	my ($list) = $b =~ /\[\] = \{(.*?)\};/s or die "codelists.pl: $fn\n";
	return sort $list =~ /"([a-z]+)"/g;
}

my %values = (
	'color' => [cli_words('color_option')],
	'quit-after' => [cli_words('quit_after_option')],
	'report' => [qw(json text)],
	'queue-list' => [qw(json text)],
);
for my $r (@rows) {
	next unless defined $r->[1];
	$values{$r->[1]} = [qw(off on)] if $r->[2] eq 'ST_BOOL';
	$values{$r->[1]} = [words_of($r->[3])] if $r->[2] eq 'ST_CHOICE';
}

while ($aliases =~ /\{\s*"(\w+)",\s*ACC_\w+,\s*(\w+)/g) {
	(my $n = $1) =~ tr/_/-/;
	$values{$n} = [qw(off on)] if $2 =~ /^AL_(INVERT|ON_SETS|ON_MEANS)$/;
}

if ($what eq 'options') {
	# NAME (no argument), NAME= (one required), NAME[=] (optional)
	my %kind = (no_argument => '', required_argument => '=',
		optional_argument => '[=]');
	my @o;
	while ($fixed =~ /\{\s*"([\w-]+)",\s*(\w+)/g) {
		push @o, "$1$kind{$2}";
	}
	while ($modes =~ /"--([\w-]+)",\s*(\w+)/g) {
		push @o, "$1$kind{$2}";
	}
	while ($aliases =~ /\{\s*"(\w+)",\s*ACC_\w+,\s*(\w+)/g) {
		(my $n = $1) =~ tr/_/-/;
		# AL_FIXED takes no word (it is the word)
		push @o, $n . ($2 eq 'AL_SAME' ? '=' : $2 eq 'AL_FIXED' ? ''
			: '[=]');
	}
	for my $r (grep { defined $_->[1] } @rows) {
		my $bare = $r->[2] eq 'ST_BOOL'
			|| ($r->[2] eq 'ST_CHOICE' && has_empty($r->[3]));
		push @o, $r->[1] . ($bare ? '[=]' : '=');
	}
	my %seen;
	print "$_\n" for sort grep { !$seen{$_}++ } @o;
} elsif ($what eq 'shorts') {
	my ($s) = $cli =~ /#define SHORT_OPTS "([^"]*)"/
		or die "codelists.pl: no SHORT_OPTS\n";
	my ($ign) = $cli =~ /#define IGNORED_OPTS "([^"]*)"/
		or die "codelists.pl: no IGNORED_OPTS\n";
	$s =~ s/[:\Q$ign\E]//g;
	print "$_\n" for split //, $s;
} elsif ($what eq 'directives') {
	my @d = $dirs =~ /\{\s*"(\w+)",/g;
	push @d, @alias_names, map { $_->[0] } @rows;
	# a row written out in full ([ACC_X] = { ... true }) is set by
	# options only
	my %nod = map { $_ => 1 } $fields =~ /\[ACC_\w+\] = \{\s*"(\w+)"/g;
	my %seen;
	print "$_\n" for sort grep { !$nod{$_} && !$seen{$_}++ } @d;
} elsif ($what eq 'words') {
	# every word a directive takes: on and off, and those of the
	# choice settings
	my %seen;
	my @w = (qw(on off), map { words_of($_->[3]) }
		grep { $_->[2] eq 'ST_CHOICE' } @rows);
	print "$_\n" for sort grep { !$seen{$_}++ } @w;
} elsif ($what eq 'choices') {
	print "$_ @{$values{$_}}\n" for sort keys %values;
} else {
	die "codelists.pl: unknown list $what\n";
}
