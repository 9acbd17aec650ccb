#!/usr/bin/env python3
"""tokens.py PO [NAME] - names a translation must leave as they are.

For each translated entry of PO, every option name (--tls-starttls), every
directive name (tls_starttls), every option at the start of a --help line
(-C,) and every printf conversion that is not reordered (%s, %.40s, %lu)
of the msgid must occur in the msgstr, and a text of several lines that
fits 79 columns (a --help section) must fit them translated.  Prints one line per violation and
exits 1 if there is any.
"""
import re
import sys
import unicodedata

LONG = re.compile(r'(?<![\w-])--[a-z0-9][a-z0-9-]*')
DIRECTIVE = re.compile(r'(?<![\w/])[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]\b')
SHORT = re.compile(r'^\s+(-[A-Za-z0-9])\b', re.M)
CONV = re.compile(r'%(?:[0-9]+\$)?[-#0 +]*(?:\*|[0-9]+)?(?:\.(?:\*|[0-9]+))?'
                  r'(?:hh|h|ll|l|j|z|t|L)?[diouxXeEfgGcsp%]')


def unquote(s):
    out, i = [], 0
    esc = {'n': '\n', 't': '\t', '"': '"', '\\': '\\', 'r': '\r'}
    while i < len(s):
        if s[i] == '\\' and i + 1 < len(s):
            out.append(esc.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return ''.join(out)


def entries(path):
    cur, key = {}, None
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('#~'):
                continue
            if not line.strip():
                if cur:
                    yield cur
                cur, key = {}, None
                continue
            if line.startswith('#,') and 'fuzzy' in line:
                cur['fuzzy'] = True
                continue
            if line.startswith('#'):
                continue
            m = re.match(r'^(msgid|msgid_plural|msgctxt|msgstr(?:\[\d+\])?)'
                         r'\s+"(.*)"$', line)
            if m:
                key = m.group(1)
                cur[key] = unquote(m.group(2))
            elif line.startswith('"') and key:
                cur[key] += unquote(line[1:-1])
    if cur:
        yield cur


def width(line):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1
               for c in line)


def too_wide(mid, s):
    """A text of several lines that fits 79 columns in English (the --help
    sections) must fit in the translation too."""
    lines = mid.split('\n')
    if len(lines) < 3 or max(width(x) for x in lines) > 79:
        return None
    return next((x for x in s.split('\n') if width(x) > 79), None)


def plain(conv):
    return '$' not in conv


def main():
    path = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) > 2 else path
    bad = 0
    for e in entries(path):
        mid = e.get('msgid', '')
        strs = [v for k, v in e.items() if k.startswith('msgstr')]
        # a fuzzy entry fails on its own (catalogues.sh)
        if not mid or not any(strs) or e.get('fuzzy'):
            continue
        want = set(LONG.findall(mid)) | set(DIRECTIVE.findall(mid))
        want |= set(SHORT.findall(mid))
        for s in strs:
            if not s:
                continue
            have = set(LONG.findall(s)) | set(DIRECTIVE.findall(s))
            have |= set(SHORT.findall(s))
            for tok in sorted(want - have):
                print('%s: "%s" lost "%s"' % (name, mid[:60].replace(
                    '\n', '\\n'), tok))
                bad += 1
            wide = too_wide(mid, s)
            if wide is not None:
                print('%s: wider than 79 columns: "%s"' % (name, wide))
                bad += 1
            if any(not plain(c) for c in CONV.findall(s)):
                continue
            if CONV.findall(mid) != CONV.findall(s):
                print('%s: "%s": conversions %s became %s' % (
                    name, mid[:60].replace('\n', '\\n'),
                    CONV.findall(mid), CONV.findall(s)))
                bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
