"""Times dnstwist's own generation in-process (the Fuzzer class the CLI uses), no DNS.
Usage: dnstwist_generate.py DOMAIN DICT_FILE|- TLD_FILE|- REPS
Prints one JSON line: {"version", "count", "seconds": [per rep], "variants": [[fuzzer, domain], ...]}.
Word and TLD files are filtered as dnstwist's CLI filters them."""
import json, re, sys, time
import dnstwist

domain, dict_file, tld_file, reps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
words, tlds = [], []
if dict_file != '-':
    with open(dict_file) as f:
        words = [x for x in set(f.read().splitlines()) if x.isalnum()]
if tld_file != '-':
    with open(tld_file) as f:
        tlds = [x for x in set(f.read().splitlines()) if re.match(r'^[a-z0-9-]{2,63}(\.[a-z0-9-]{2,63}){0,1}$', x)]
seconds = []
for _ in range(reps):
    t0 = time.perf_counter()
    fuzz = dnstwist.Fuzzer(domain, dictionary=words, tld_dictionary=list(tlds))
    fuzz.generate()
    seconds.append(time.perf_counter() - t0)
print(json.dumps({'version': dnstwist.__version__, 'count': len(fuzz.domains), 'seconds': seconds,
                  'variants': [[p['fuzzer'], p['domain']] for p in fuzz.domains]}))
