#!/usr/bin/env python3
"""Writes a synthetic knowledge base for the scale benchmark, and queries to time against it.

Usage: gen_kb.py OUT_DIR [ENTRIES]   (default 100000)

OUT_DIR/kb/ is a knowledge-base folder that `index-build build` accepts: two source documents,
one Japanese and one English, with ENTRIES entries between them. Their prose is recombined
from the sentences of the real entries in kb/ (so word frequencies, script mix and sentence
lengths are realistic), each with its own component, version range, a generated error line
with variable parts (timestamps, IPs, pod hashes, paths) and a workaround with a command.

OUT_DIR/queries.tsv holds 1000 queries, one per line after its kind and a tab, in the mix
users send: pasted error lines with the variable parts changed (`log`), the start of a
sentence of an entry's prose (`ja`, `en`), and keywords (`keyword`). The generator is deterministic: the same arguments write the same files.
"""
import pathlib
import random
import re
import shutil
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
HEADER = re.compile(r"\A```toml\n.*?\n```\n", re.S)
FENCE = re.compile(r"```[a-z]*\n.*?```\n?", re.S)

VERBS = ["sync", "reconcile", "pull", "mount", "attach", "renew", "dial", "resolve", "patch", "drain"]
OBJECTS = ["lease", "certificate", "image", "volume", "endpoint", "webhook", "node", "snapshot", "route", "secret"]
REASONS = [
    "context deadline exceeded",
    "connection refused",
    "permission denied",
    "no such file or directory",
    "x509: certificate has expired or is not yet valid",
    "i/o timeout",
    "the object has been modified; please apply your changes to the latest version",
    "too many open files",
]
FILES = ["controller.go", "server.go", "kubelet.go", "reconciler.go", "client.go", "manager.go"]


def real_text():
    """Sentences, titles and shell commands of the real entries, per language."""
    sentences = {"ja": [], "en": []}
    titles = {"ja": [], "en": []}
    commands = []
    for path in sorted((REPO / "kb").glob("*/*.md")):
        lang = path.name.split(".")[-2]
        body = HEADER.sub("", path.read_text(encoding="utf-8"))
        for block in FENCE.findall(body):
            if block.startswith("```shell"):
                commands += [l for l in block.splitlines()[1:-1] if l[:1].isalpha() and len(l) < 160]
        prose = FENCE.sub("", body)
        for line in prose.splitlines():
            if line.startswith("# "):
                titles[lang].append(line[2:].strip())
            elif line.strip() and not line.startswith("#"):
                text = re.sub(r"^\s*(\d+\.|-)\s+", "", line.strip())
                splitter = r"(?<=。)" if lang == "ja" else r"(?<=\.)\s+"
                sentences[lang] += [s for s in re.split(splitter, text) if len(s) > 20]
    return sentences, titles, commands


def components():
    text = (REPO / "kb" / "components.toml").read_text(encoding="utf-8")
    return re.findall(r"^\[([a-z0-9-]+)\]", text, re.M)


def vocabulary(sentences):
    """Distinct English words of the real entries: what error messages are made of."""
    return sorted({w.lower() for s in sentences["en"] for w in re.findall(r"[A-Za-z]{5,12}", s)})


def error_line(rng, seed, vocab):
    """An error line unique to `seed`, and a copy with its variable parts changed."""
    words = (VERBS[seed % 10], OBJECTS[seed // 10 % 10], REASONS[seed // 100 % 8])
    detail = " ".join(random.Random(seed).sample(vocab, 3))
    name = f"svc{seed:06d}"

    def render(r):
        ts = f"{r.randrange(1, 13):02}{r.randrange(1, 29):02} {r.randrange(24):02}:{r.randrange(60):02}:{r.randrange(60):02}.{r.randrange(10**6):06}"
        ip = f"10.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(1024, 65535)}"
        pod = f"{name}-{r.getrandbits(40):010x}"[:24] + f"-{r.getrandbits(20):05x}"
        return (
            f"E{ts}       1 {FILES[seed % 6]}:{r.randrange(50, 900)}] failed to {words[0]} {words[1]} "
            f'"{pod}" on {ip}: {detail}: {words[2]}'
        )

    return render(rng), render(random.Random(seed * 7919))


def entry(rng, lang, prefix, number, seed, pools):
    sentences, titles, commands, comps, vocab = pools
    minor = rng.randrange(6, 16)
    patch = rng.randrange(0, 6)
    fixed = f"1.{minor}.{patch + 1}"
    error, _ = error_line(rng, seed, vocab)
    title = f"{rng.choice(titles[lang])} ({prefix.lower()}-{seed:06d})".replace('"', "'").replace("`", "")
    prose = " ".join(rng.sample(sentences[lang], 3)) if lang == "en" else "".join(rng.sample(sentences[lang], 3))
    step = rng.choice(sentences[lang])
    if lang == "ja":
        statement = f"この問題はバージョン 1.{minor}.0 以降に影響し、バージョン {fixed} で修正されています。"
    else:
        statement = f"This issue affects version 1.{minor}.0 and later, and is fixed in version {fixed}."
    workaround = "## 回避策" if lang == "ja" else "## Workaround"
    source = "合成の既知の問題" if lang == "ja" else "Synthetic known issues"
    return f"""```toml
[entry]
id = "{prefix}-{number:06d}"
lang = "{lang}"
component = "{rng.choice(comps)}"
keywords = ["svc{seed:06d}"]

[source]
document = "{source}"
category = "general"
title = "{title}"

[versions]
affected = [{{ introduced = "1.{minor}.0", fixed = "{fixed}" }}]
fixed_in = "{fixed}"
statement = ["{statement}"]

[symptoms]
errors = [
  '{error}',
]
```

# {title}

{prose}{" " if lang == "en" else ""}{statement}

```text
{error}
```

{workaround}

1. {step}

   ```shell
   {rng.choice(commands)}
   ```
"""


def main():
    out = pathlib.Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    rng = random.Random(42)
    sentences, titles, commands = real_text()
    vocab = vocabulary(sentences)
    pools = (sentences, titles, commands, components(), vocab)
    kb = out / "kb"
    shutil.rmtree(kb, ignore_errors=True)
    kb.mkdir(parents=True)
    for extra in ["components.toml", "glossary.toml"]:
        shutil.copy(REPO / "kb" / extra, kb / extra)
    for lang, prefix, title in [("ja", "SYJ", "合成の既知の問題"), ("en", "SYE", "Synthetic known issues")]:
        folder = kb / f"synthetic-{lang}"
        folder.mkdir()
        (folder / "source.toml").write_text(
            f'title = "{title}"\nlang = "{lang}"\nid_prefix = "{prefix}"\ncategories = ["general"]\n',
            encoding="utf-8",
        )
    for seed in range(count):
        lang, prefix = ("ja", "SYJ") if seed % 2 == 0 else ("en", "SYE")
        number = seed // 2 + 1
        text = entry(rng, lang, prefix, number, seed, pools)
        (kb / f"synthetic-{lang}" / f"{prefix}-{number:06d}.{lang}.md").write_text(text, encoding="utf-8")

    queries = []
    qrng = random.Random(7)
    for i in range(1000):
        seed = qrng.randrange(count)
        kind = i % 4
        if kind == 0:
            queries.append("log\t" + error_line(qrng, seed, vocab)[1])
        elif kind == 1:
            queries.append("ja\t" + qrng.choice(sentences["ja"])[:40])
        elif kind == 2:
            queries.append("en\t" + " ".join(qrng.choice(sentences["en"]).split()[:8]))
        else:
            queries.append(f"keyword\tsvc{seed:06d} {OBJECTS[seed // 10 % 10]}")
    (out / "queries.tsv").write_text("\n".join(queries) + "\n", encoding="utf-8")
    print(f"{out / 'kb'}: {count} entries; {out / 'queries.tsv'}: {len(queries)} queries")


if __name__ == "__main__":
    main()
