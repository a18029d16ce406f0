"""Import circles of a crate's modules: edges from `crate::`/`super::` paths, each resolved
to the file of the longest module path it names (a re-export in a mod.rs counts as that
mod.rs; lib.rs, whose only job is re-exporting, is left out). Prints the largest strongly
connected component."""
import os, re, sys
root = sys.argv[1]
files = {}
for d, _, fs in os.walk(root):
    for f in fs:
        if f.endswith('.rs'):
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            mod = rel[:-3].split(os.sep)
            if mod[-1] == 'mod': mod = mod[:-1]
            if mod == ['lib']: continue
            files['::'.join(mod)] = rel
ROOT = {}
lib = open(os.path.join(root, 'lib.rs')).read()
for m in re.finditer(r'pub use (\w+)::(\{[^}]*\}|\w+);', lib):
    for name in re.findall(r'\w+', m.group(2)):
        ROOT[name] = m.group(1)
def resolve(parts):
    if parts and parts[0] in ROOT: parts = [ROOT[parts[0]]] + parts
    for k in range(len(parts), 0, -1):
        m = '::'.join(parts[:k])
        if m in files: return m
    return None
def strip_tests(src):
    i = src.find('#[cfg(test)]\nmod tests')
    return src if i < 0 else src[:i]
def expand(prefix, body):
    # body of a use tree after prefix:: ; returns list of paths
    body = body.strip()
    if body.startswith('{'):
        inner = body[1:body.rfind('}')]
        out, depth, cur = [], 0, ''
        for ch in inner:
            if ch == ',' and depth == 0:
                out += expand(prefix, cur); cur = ''
                continue
            depth += ch == '{'; depth -= ch == '}'
            cur += ch
        if cur.strip(): out += expand(prefix, cur)
        return out
    m = re.match(r'([\w:]+?)(::\{.*\})?$', body, re.S)
    if not m: return [prefix]
    head = [x for x in m.group(1).split('::') if x and x != 'self']
    if m.group(2):
        return expand(prefix + head, m.group(2)[2:])
    return [prefix + head]
edges = {m: set() for m in files}
for mod, rel in files.items():
    src = strip_tests(open(os.path.join(root, rel)).read())
    src = re.sub(r'//[^\n]*', '', src)
    parent = mod.split('::')[:-1] if not rel.endswith('mod.rs') else mod.split('::')[:-1]
    paths = []
    for m in re.finditer(r'\buse\s+(crate|super)::([^;]*);', src, re.S):
        base = [] if m.group(1) == 'crate' else parent
        paths += expand(base, m.group(2))
    here = mod.split('::') if rel.endswith('mod.rs') else parent
    for m in re.finditer(r'\buse\s+(?:self::)?(\w+)::([^;]*);', src, re.S):
        if m.group(1) in ('crate', 'super', 'core', 'alloc', 'std', 'serde'): continue
        if '::'.join(here + [m.group(1)]) in files:
            paths += expand(here + [m.group(1)], m.group(2))
    for m in re.finditer(r'(?<![\w:])(crate|super)::((?:\w+::)*\w+)', src):
        base = [] if m.group(1) == 'crate' else parent
        paths.append(base + m.group(2).split('::'))
    for p in paths:
        t = resolve(p)
        if t and t != mod: edges[mod].add(t)
# Tarjan
idx, low, st, on, sccs, n = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)
def sc(v):
    idx[v] = low[v] = n[0]; n[0] += 1; st.append(v); on.add(v)
    for w in edges[v]:
        if w not in idx: sc(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], idx[w])
    if low[v] == idx[v]:
        c = []
        while True:
            w = st.pop(); on.discard(w); c.append(w)
            if w == v: break
        sccs.append(c)
for v in edges:
    if v not in idx: sc(v)
big = max(sccs, key=len)
print(f"{len(files)} files, {sum(map(len, edges.values()))} edges; largest circle: {len(big)} files")
if len(big) > 1: print('  ' + ' '.join(sorted(big)))
if len(sys.argv) > 2:
    for m in sys.argv[2:]: print(m, '->', sorted(edges[m]))
for c in sccs:
    if len(c) > 1: print(len(c), sorted(c))
