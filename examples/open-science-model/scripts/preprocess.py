"""Filter, deduplicate and tokenise raw web text into training shards."""
import json
import sys


def keep(doc: dict) -> bool:
    text = doc.get("text", "")
    return len(text) > 200 and text.count("http") < 20


for line in sys.stdin:
    doc = json.loads(line)
    if keep(doc):
        print(json.dumps({"text": doc["text"], "source": doc.get("source")}))
