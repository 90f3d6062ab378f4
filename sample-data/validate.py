#!/usr/bin/env python3
"""Checks the sample datasets and guidelines for the structure annotty expects.

Run from the repository root: python3 sample-data/validate.py
Exits non-zero and lists every problem found; prints label counts when all is well.
"""
import collections
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "sample-data"
GUIDES = ROOT / "guidelines"

TASKS = [
    # (jsonl, gold, guideline, labels in guideline order, id pattern, required text fields)
    ("reviews.jsonl", "reviews-gold.tsv", "sentiment.md",
     ["positive", "negative", "neutral", "mixed"], r"r\d{4}", ["text", "product"]),
    ("pairs.jsonl", "pairs-gold.tsv", "entailment.md",
     ["entailment", "contradiction", "neutral"], r"p\d{3}", ["premise", "hypothesis"]),
]

problems = []


def problem(message):
    problems.append(message)


def read_text(path):
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        problem(f"{path.name}: starts with a BOM")
    if b"\r" in raw:
        problem(f"{path.name}: contains CR characters (want LF line endings)")
    if not raw.endswith(b"\n"):
        problem(f"{path.name}: does not end with a newline")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problem(f"{path.name}: invalid UTF-8 ({error})")
        return raw.decode("utf-8", errors="replace")


def check_jsonl(name, id_pattern, fields):
    records = []
    for number, line in enumerate(read_text(DATA / name).split("\n")[:-1], 1):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problem(f"{name}:{number}: not JSON ({error})")
            continue
        if not re.fullmatch(id_pattern, str(record.get("id", ""))):
            problem(f"{name}:{number}: bad id {record.get('id')!r}")
        for field in fields:
            value = record.get(field)
            if not isinstance(value, str) or not value.strip():
                problem(f"{name}:{number}: field {field!r} missing or empty")
        if "stars" in record or name.startswith("reviews"):
            stars = record.get("stars")
            if not isinstance(stars, int) or isinstance(stars, bool) or not 1 <= stars <= 5:
                problem(f"{name}:{number}: stars {stars!r} not an integer 1-5")
        records.append(record)
    ids = [r.get("id") for r in records]
    for duplicate in [i for i, c in collections.Counter(ids).items() if c > 1]:
        problem(f"{name}: duplicate id {duplicate}")
    contents = [tuple(r.get(f) for f in fields if f != "product") for r in records]
    for duplicate in [c for c, n in collections.Counter(contents).items() if n > 1]:
        problem(f"{name}: duplicate content {duplicate!r}")
    return records


def check_gold(name, ids, labels):
    lines = read_text(DATA / name).split("\n")[:-1]
    if not lines or lines[0] != "id\tlabel":
        problem(f"{name}: header must be 'id<TAB>label'")
    gold = {}
    for number, line in enumerate(lines[1:], 2):
        parts = line.split("\t")
        if len(parts) != 2:
            problem(f"{name}:{number}: want two tab-separated columns")
            continue
        item_id, label = parts
        if label not in labels:
            problem(f"{name}:{number}: unknown label {label!r}")
        if item_id in gold:
            problem(f"{name}:{number}: id {item_id} listed twice")
        gold[item_id] = label
    if set(gold) != set(ids):
        problem(f"{name}: ids differ from data (missing {sorted(set(ids) - set(gold))[:5]}, "
                f"extra {sorted(set(gold) - set(ids))[:5]})")
    return gold


def check_guideline(name, labels):
    text = read_text(GUIDES / name)
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    if headings != labels + ["General edge cases"]:
        problem(f"{name}: headings {headings} != {labels + ['General edge cases']}")
    if not re.match(r"# .+\n", text):
        problem(f"{name}: must start with a '# ' title")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    for section in sections:
        title = section.split("\n", 1)[0]
        if title == "General edge cases":
            if not re.search(r"^- ", section, flags=re.M):
                problem(f"{name}: General edge cases has no bullets")
            continue
        for marker in ("**Definition:**", "**Examples:**", "**Edge cases:**"):
            if marker not in section:
                problem(f"{name}: section {title!r} lacks {marker}")
        examples = re.search(r"\*\*Examples:\*\*\n((?:- .+\n)+)", section)
        if not examples or len(examples.group(1).splitlines()) < 2:
            problem(f"{name}: section {title!r} needs at least two example bullets")
    return len(text.split("\n")) - 1


for jsonl, gold_file, guide, labels, id_pattern, fields in TASKS:
    records = check_jsonl(jsonl, id_pattern, fields)
    gold = check_gold(gold_file, [r.get("id") for r in records], labels)
    guide_lines = check_guideline(guide, labels)
    counts = collections.Counter(gold.values())
    print(f"{jsonl}: {len(records)} items; {gold_file}: "
          + ", ".join(f"{label} {counts[label]}" for label in labels)
          + f"; {guide}: {guide_lines} lines")
    if jsonl.startswith("reviews"):
        # Word counts only make sense for space-separated scripts; CJK texts have no spaces.
        words = sorted(len(r["text"].split()) for r in records if " " in r["text"])
        non_ascii = [r["id"] for r in records if not r["text"].isascii()]
        decomposed = [r["id"] for r in records
                      if unicodedata.normalize("NFC", r["text"]) != r["text"]]
        print(f"  words per review: min {words[0]}, median {words[len(words) // 2]}, max {words[-1]}; "
              f"over 60 words: {sum(w > 60 for w in words)}, over 150: {sum(w > 150 for w in words)}")
        print(f"  non-ASCII texts: {len(non_ascii)}; with combining (non-NFC) characters: {decomposed}")
        print(f"  distinct products: {len({r['product'] for r in records})}")

if problems:
    print("\n".join(["PROBLEMS:"] + problems))
    sys.exit(1)
print("all checks passed")
