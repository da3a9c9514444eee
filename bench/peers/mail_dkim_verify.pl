#!/usr/bin/perl
# Mail::DKIM peer: mail_dkim_verify.pl <keytable.json> <paths.txt>
# Reads all messages first, then times only the verify loop. Key lookups never touch the network:
# Mail::DKIM::PublicKey fetches through Mail::DKIM::DNS::query, which we replace by a lookup in the
# local key table returning Net::DNS TXT records (built once per name, like a warm resolver cache).
use strict;
use warnings;
use JSON::PP;
use Time::HiRes qw(clock_gettime CLOCK_MONOTONIC);
use Net::DNS;
use Mail::DKIM::Verifier;
use Mail::DKIM::DNS;

my ($table_file, $paths_file) = @ARGV;
die "usage: mail_dkim_verify.pl <keytable.json> <paths.txt>\n" unless $paths_file;

sub slurp { my ($p) = @_; open(my $fh, '<:raw', $p) or die "$p: $!\n"; local $/; my $d = <$fh>; close $fh; return $d; }

my $table = decode_json(slurp($table_file));
my %rr_cache;
{
    no warnings 'redefine';
    *Mail::DKIM::DNS::query = sub {
        my ($name, $type) = @_;
        my $key = lc $name; $key =~ s/\.$//;
        my $txt = $table->{$key};
        unless (defined $txt) { $@ = 'NXDOMAIN'; return; }
        # TXT character-strings are at most 255 bytes; split long keys like a zone file would.
        $rr_cache{$key} //= Net::DNS::RR->new(name => $key, type => 'TXT', txtdata => [ unpack('(a255)*', $txt) ]);
        $@ = 'NOERROR';
        return ($rr_cache{$key});
    };
}

my @paths = grep { length } split /\n/, slurp($paths_file);
my @messages = map { slurp($_) } @paths;

# One untimed pass first, as for every peer: steady state, not start-up, is what is compared.
for my $m (@messages) {
    my $warm = Mail::DKIM::Verifier->new();
    $warm->PRINT($m);
    $warm->CLOSE;
}

my (@ns, $pass, @failures);
$pass = '';
my $loop_start = clock_gettime(CLOCK_MONOTONIC);
for my $i (0 .. $#messages) {
    my $t0 = clock_gettime(CLOCK_MONOTONIC);
    my $dkim = Mail::DKIM::Verifier->new();
    $dkim->PRINT($messages[$i]);
    $dkim->CLOSE;
    my $result = $dkim->result;
    push @ns, int((clock_gettime(CLOCK_MONOTONIC) - $t0) * 1e9);
    my $ok = $result eq 'pass';
    $pass .= $ok ? '1' : '0';
    push @failures, "$paths[$i]: $result " . ($dkim->result_detail // '') if !$ok && @failures < 5;
}
my $loop_seconds = clock_gettime(CLOCK_MONOTONIC) - $loop_start;
print encode_json({ count => scalar(@messages), loopSeconds => $loop_seconds, ns => \@ns, pass => $pass, failures => \@failures });
